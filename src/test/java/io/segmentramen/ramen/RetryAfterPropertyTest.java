package io.segmentramen.ramen;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever Retry-After Ramen sends — seconds of any length, HTTP dates of any year in any of the three
 * forms, garbage — it is read without an exception as nothing or as a wait in [0, 300 s], and what is
 * passed on to Segment is 1..300 whole seconds; within that range it is read exactly.
 */
class RetryAfterPropertyTest {

    private static final Duration MAX = Duration.ofSeconds(300);
    private static final long[] YEARS = {-999_999_999L, -1, 0, 1, 1970, 2015, 2026, 9999, 10_000, 292_278_994L, 999_999_999L};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private static String digits(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) ('0' + random.nextInt(10)));
        }
        return text.toString();
    }

    private static long year(Random random) {
        return random.nextBoolean() ? YEARS[random.nextInt(YEARS.length)] : random.nextLong() % 1_000_000_000L;
    }

    /** One header of each kind: seconds, signed or fractional seconds, the three date forms (any year, any zone), garbage. */
    private static List<String> headers(Random random) {
        List<String> headers = new ArrayList<>();
        headers.add(digits(random, 1 + random.nextInt(40)));
        headers.add(Long.toString(random.nextLong()));
        headers.add(random.nextInt(1000) + "." + random.nextInt(1000));
        String day = DAYS[random.nextInt(7)];
        String month = MONTHS[random.nextInt(12)];
        int date = 1 + random.nextInt(31);
        String time = String.format(Locale.ROOT, "%02d:%02d:%02d", random.nextInt(25), random.nextInt(61), random.nextInt(61));
        headers.add(String.format(Locale.ROOT, "%s, %02d %s %d %s %s", day, date, month, year(random), time,
                random.nextBoolean() ? "GMT" : (random.nextBoolean() ? "+" : "-") + digits(random, 4)));
        headers.add(String.format(Locale.ROOT, "%sday, %02d-%s-%02d %s GMT", day, date, month, random.nextInt(100), time));
        headers.add(String.format(Locale.ROOT, "%s %s %2d %s %s%d", day, month, date, time, random.nextBoolean() ? "+" : "", year(random)));
        StringBuilder garbage = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) {
            garbage.append((char) random.nextInt(random.nextBoolean() ? 128 : 0x3000));
        }
        headers.add(garbage.toString());
        return headers;
    }

    @Test
    void everyHeaderIsNothingOrAWaitOfAtMostFiveMinutes() {
        for (long seed = 1; seed <= 3_000; seed++) {
            Random random = new Random(seed);
            Instant now = Instant.ofEpochSecond(random.nextLong() % 100_000_000_000L);
            for (String header : headers(random)) {
                String context = "seed " + seed + ", now " + now + ", Retry-After: " + header;
                Optional<Duration> wait = assertDoesNotThrow(() -> RetryAfter.parse(header, now), context);
                wait.ifPresent(w -> {
                    assertTrue(!w.isNegative() && w.compareTo(MAX) <= 0, context + " → " + w);
                    long passedOn = assertDoesNotThrow(() -> RetryAfter.passedOnSeconds(w), context);
                    assertTrue(passedOn >= 1 && passedOn <= 300, context + " → " + passedOn);
                });
            }
            // within the range nothing is lost: up to 300 s, in seconds or as a date, is read exactly
            long seconds = random.nextInt(301);
            Instant recent = Instant.ofEpochSecond(random.nextInt(2_000_000_000));
            assertEquals(Optional.of(Duration.ofSeconds(seconds)), RetryAfter.parse(Long.toString(seconds), recent));
            String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(recent.plusSeconds(seconds), ZoneOffset.UTC));
            assertEquals(Optional.of(Duration.ofSeconds(seconds)), RetryAfter.parse(date, recent), date);
        }
    }

    @Test
    void anyDurationIsPassedOnAsOneToThreeHundredSeconds() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            Duration wait = Duration.ofSeconds(random.nextLong(), random.nextInt(1_000_000_000));
            long seconds = RetryAfter.passedOnSeconds(wait);
            assertTrue(seconds >= 1 && seconds <= 300, wait + " → " + seconds);
        }
    }
}
