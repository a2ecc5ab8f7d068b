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
        assertEquals(Optional.of(Duration.ofHours(1).plusSeconds(30)), RetryAfter.parse("Wed, 21 Oct 2015 08:28:00 GMT", NOW));
    }

    @Test
    void obsoleteHttpDateFormsAreAcceptedToo() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Wednesday, 21-Oct-15 07:28:00 GMT", NOW), "RFC 850");
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Wed Oct 21 07:28:00 2015", NOW), "asctime");
    }

    @Test
    void anEnormousDelayIsStillADelayBeyondAnyDeadline() {
        assertEquals(Optional.of(Duration.ofSeconds(999_999_999L)), RetryAfter.parse("99999999999999999999", NOW));
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

    /** SPEC §13: what reaches Segment is capped at 300 s and never below 1 s. */
    @Test
    void whatIsPassedOnToSegmentIsBetweenOneSecondAndFiveMinutes() {
        assertEquals(300, RetryAfter.passedOnSeconds(Duration.ofSeconds(999_999_999L)));
        assertEquals(300, RetryAfter.passedOnSeconds(Duration.ofSeconds(301)));
        assertEquals(300, RetryAfter.passedOnSeconds(Duration.ofSeconds(300)));
        assertEquals(30, RetryAfter.passedOnSeconds(Duration.ofMillis(29_001)), "rounded up");
        assertEquals(1, RetryAfter.passedOnSeconds(Duration.ZERO));
    }
}
