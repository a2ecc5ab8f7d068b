package io.segmentramen.ramen;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.time.ZoneOffset;

/** The {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
public final class RetryAfter {

    private static final long MAX_SECONDS = 999_999_999L;
    /** The longest Retry-After passed on to Segment (SPEC §13): a longer wait from Ramen is not Segment's to honour. */
    public static final Duration MAX_PASSED_ON = Duration.ofSeconds(300);
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final List<DateTimeFormatter> HTTP_DATE_FORMATS = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC));

    private RetryAfter() {
    }

    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        if (DIGITS.matcher(value).matches()) {
            // Longer than any deadline either way; capped so that absurd values cannot overflow.
            return Optional.of(Duration.ofSeconds(value.length() > 9 ? MAX_SECONDS : Long.parseLong(value)));
        }
        for (DateTimeFormatter format : HTTP_DATE_FORMATS) {
            try {
                Instant at = ZonedDateTime.parse(value, format).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException e) {
                // try the next of the three forms RFC 9110 §5.6.7 asks recipients to accept
            }
        }
        return Optional.empty();
    }

    /** Whole seconds to put in the Retry-After of our own answer: at least 1, at most {@link #MAX_PASSED_ON}. */
    public static long passedOnSeconds(Duration wait) {
        long seconds = (wait.toMillis() + 999) / 1000;
        return Math.max(1, Math.min(seconds, MAX_PASSED_ON.toSeconds()));
    }
}
