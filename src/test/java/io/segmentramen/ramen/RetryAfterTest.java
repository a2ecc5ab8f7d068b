package io.segmentramen.ramen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Retry-After as delay-seconds or HTTP-date (RFC 9110 §10.2.3). */
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2015-10-21T07:27:30Z");

    @Test
    void delaySeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(1)), RetryAfter.parse("1", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("0", NOW));
    }

    @Test
    void httpDateIsTheTimeUntilThen() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW));
        assertEquals(Optional.of(Duration.ofMinutes(5)), RetryAfter.parse("Wed, 21 Oct 2015 08:28:00 GMT", NOW), "an hour: five minutes at most");
    }

    @Test
    void obsoleteHttpDateFormsAreAcceptedToo() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Wednesday, 21-Oct-15 07:28:00 GMT", NOW), "RFC 850");
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Wed Oct 21 07:28:00 2015", NOW), "asctime");
    }

    @Test
    void anEnormousDelayIsFiveMinutes() {
        assertEquals(Optional.of(Duration.ofSeconds(300)), RetryAfter.parse("99999999999999999999", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(300)), RetryAfter.parse("301", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(300)), RetryAfter.parse("Fri Jan  1 00:00:00 +999999999", NOW), "asctime, year 999 999 999");
        assertEquals(Optional.of(Duration.ofSeconds(300)), RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", NOW));
    }

    @Test
    void httpDateInThePastMeansNow() {
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "soon", "-1", "1.5", "+3", "0x10", "21 Oct 2015"})
    void anythingElseIsIgnored(String header) {
        assertEquals(Optional.empty(), RetryAfter.parse(header, NOW));
    }

    @Test
    void absentIsIgnored() {
        assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
    }

    /** What reaches Segment is capped at 300 s and never below 1 s, whatever the duration. */
    @Test
    void whatIsPassedOnToSegmentIsBetweenOneSecondAndFiveMinutes() {
        assertEquals(300, RetryAfter.passedOnSeconds(Duration.ofSeconds(999_999_999L)));
        assertEquals(300, RetryAfter.passedOnSeconds(Duration.ofSeconds(301)));
        assertEquals(300, RetryAfter.passedOnSeconds(Duration.ofSeconds(300)));
        assertEquals(30, RetryAfter.passedOnSeconds(Duration.ofMillis(29_001)), "rounded up");
        assertEquals(1, RetryAfter.passedOnSeconds(Duration.ZERO));
        assertEquals(300, RetryAfter.passedOnSeconds(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
        assertEquals(1, RetryAfter.passedOnSeconds(Duration.ofSeconds(Long.MIN_VALUE)));
    }
}
