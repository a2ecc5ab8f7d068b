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
}
