package io.segmentramen.ramen;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.DateTimeException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.time.ZoneOffset;

/**
 * The {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3), always read as a
 * wait between 0 and {@link #MAX_PASSED_ON}: whatever number or date Ramen sends, nothing overflows
 * (docs/CONTRACT.md §5).
 */
public final class RetryAfter {

    /** The longest wait taken from Ramen, and passed on to Segment: a longer one is not Segment's to honour. */
    public static final Duration MAX_PASSED_ON = Duration.ofSeconds(300);
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    /** More digits than this are more seconds than {@link #MAX_PASSED_ON} whatever they say (and more than a long holds). */
    private static final int MAX_DIGITS = 9;
    private static final List<DateTimeFormatter> HTTP_DATE_FORMATS = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC));

    private RetryAfter() {
    }

    /** The wait Ramen asks for, between 0 and {@link #MAX_PASSED_ON}; empty when the header is absent or unreadable. */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        if (DIGITS.matcher(value).matches()) {
            return Optional.of(value.length() > MAX_DIGITS ? MAX_PASSED_ON : atMost(Duration.ofSeconds(Long.parseLong(value))));
        }
        for (DateTimeFormatter format : HTTP_DATE_FORMATS) {
            try {
                return Optional.of(until(now, ZonedDateTime.parse(value, format).toInstant()));
            } catch (DateTimeException e) {
                // not this form (or no instant at all): try the next of the three RFC 9110 §5.6.7 asks recipients to accept
            }
        }
        return Optional.empty();
    }

    /** From now until {@code at}: 0 for the past, at most {@link #MAX_PASSED_ON} however far the future. */
    private static Duration until(Instant now, Instant at) {
        if (!at.isAfter(now)) {
            return Duration.ZERO;
        }
        return at.getEpochSecond() - now.getEpochSecond() > MAX_PASSED_ON.toSeconds() ? MAX_PASSED_ON : atMost(Duration.between(now, at));
    }

    private static Duration atMost(Duration wait) {
        return wait.compareTo(MAX_PASSED_ON) > 0 ? MAX_PASSED_ON : wait;
    }

    /** Whole seconds to put in the Retry-After of our own answer: at least 1, at most {@link #MAX_PASSED_ON}, for any duration. */
    public static long passedOnSeconds(Duration wait) {
        if (wait.isNegative() || wait.isZero()) {
            return 1;
        }
        Duration capped = atMost(wait);
        long seconds = capped.getSeconds() + (capped.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
