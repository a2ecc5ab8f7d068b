package io.segmentramen.segment;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
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

    private static OptionalLong fromText(String text) {
        if (text.isEmpty()) {
            return OptionalLong.empty();
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
