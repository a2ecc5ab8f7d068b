package io.segmentramen.segment;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** Ramen's time rule: ISO-8601, epoch seconds or epoch milliseconds → integer epoch seconds. */
public final class Times {

    /** A number at or above this is milliseconds (1 000 years in seconds, the year 2970). */
    private static final long MILLISECONDS_THRESHOLD = 31_557_600_000L;
    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,17}(\\.\\d+)?");

    private Times() {
    }

    public static OptionalLong toEpochSeconds(JsonNode value) {
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (value.isNumber()) {
            return fromNumber(value.asDouble());
        }
        if (value.isTextual()) {
            return fromText(value.asText().trim());
        }
        return OptionalLong.empty();
    }

    private static OptionalLong fromNumber(double number) {
        if (Double.isNaN(number) || Double.isInfinite(number) || Math.abs(number) > 1e17) {
            return OptionalLong.empty();
        }
        double seconds = Math.abs(number) >= MILLISECONDS_THRESHOLD ? number / 1000.0 : number;
        return OptionalLong.of((long) Math.floor(seconds));
    }

    /** {@link #commonIso}'s answer for text it leaves to the general parsers below. */
    static final long NOT_COMMON = Long.MIN_VALUE;

    /**
     * The form nearly every Segment timestamp has, {@code 2024-05-01T12:00:00.123Z} ({@code Z}, an
     * offset {@code ±HH:MM} or none), read without java.time's general parser: that parser was 12 %
     * of the native executable's CPU per delivered event (bench/README.md). Anything else — another
     * case, no seconds, a leap second, an out-of-range field, more than 9 fraction digits — returns
     * {@link #NOT_COMMON} and goes to the general parsers, so the result is theirs in every case
     * ({@code TimesTest} compares the two on generated text).
     */
    static long commonIso(String text) {
        int length = text.length();
        if (length < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return NOT_COMMON;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return NOT_COMMON;
        }
        int at = 19;
        if (at < length && text.charAt(at) == '.') {
            int fractionDigits = 0;
            while (++at < length && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                fractionDigits++;
            }
            if (fractionDigits == 0 || fractionDigits > 9) {
                return NOT_COMMON;
            }
        }
        int offsetSeconds;
        if (at == length) {
            offsetSeconds = 0; // no offset: read as UTC, as LocalDateTime below does
        } else if (at == length - 1 && text.charAt(at) == 'Z') {
            offsetSeconds = 0;
        } else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-') && text.charAt(at + 3) == ':') {
            int offsetHours = digits(text, at + 1, 2);
            int offsetMinutes = digits(text, at + 4, 2);
            if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
                return NOT_COMMON;
            }
            offsetSeconds = (text.charAt(at) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return NOT_COMMON;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static OptionalLong fromText(String text) {
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        long fast = commonIso(text);
        if (fast != NOT_COMMON) {
            return OptionalLong.of(fast);
        }
        if (NUMBER.matcher(text).matches()) {
            return fromNumber(Double.parseDouble(text));
        }
        try {
            return OptionalLong.of(OffsetDateTime.parse(text).toEpochSecond());
        } catch (DateTimeParseException ignored) {
            // fall through to the other ISO-8601 forms
        }
        try {
            return OptionalLong.of(Instant.parse(text).getEpochSecond());
        } catch (DateTimeParseException ignored) {
            // fall through
        }
        try {
            return OptionalLong.of(LocalDateTime.parse(text).toEpochSecond(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            // fall through
        }
        try {
            return OptionalLong.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond());
        } catch (DateTimeParseException ignored) {
            return OptionalLong.empty();
        }
    }
}
