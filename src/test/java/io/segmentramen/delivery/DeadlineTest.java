package io.segmentramen.delivery;

import io.segmentramen.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RAMEN_DEADLINE from the request's start, never beyond Lambda's timeout minus what answering takes:
 * 200 ms, plus a share per event of the request (its outcome line and report entry).
 */
class DeadlineTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final Duration BUDGET = Duration.ofSeconds(4);
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void fix() {
        clock.fixAt(NOW);
    }

    @Test
    void budgetCountsFromTheRequestStart() {
        assertEquals(NOW.plus(BUDGET), Deadline.of(clock, NOW, BUDGET, null).at());
        Deadline fromTimeEpoch = Deadline.of(clock, NOW.minusMillis(1_500), BUDGET, null);
        assertEquals(Duration.ofMillis(2_500), fromTimeEpoch.remaining(), "queueing and cold start count");
    }

    @Test
    void lambdaRemainingMinusMarginWinsWhenShorter() {
        Deadline deadline = Deadline.of(clock, NOW, BUDGET, NOW.plusSeconds(3));
        assertEquals(NOW.plusMillis(2_800), deadline.at(), "200 ms are kept for answering");
    }

    @Test
    void budgetWinsWhenTheLambdaHasMoreTime() {
        assertEquals(NOW.plus(BUDGET), Deadline.of(clock, NOW, BUDGET, NOW.plus(Duration.ofMinutes(5))).at());
        assertEquals(NOW.plus(BUDGET), Deadline.of(clock, NOW, BUDGET, NOW.plusMillis(4_200)).at(), "4.2 s left: exactly the budget");
        assertEquals(NOW.plusMillis(3_900), Deadline.of(clock, NOW, BUDGET, NOW.plusMillis(4_100)).at(), "4.1 s left: 200 ms margin wins");
    }

    @Test
    void eachEventKeepsWhatPreparingOneTookBeforeLambdasTimeout() {
        Duration queue = Duration.ofSeconds(60);
        Deadline deadline = Deadline.of(clock, NOW, queue, NOW.plus(queue));
        assertEquals(NOW.plusMillis(60_000 - 200 - 900), deadline.keepingTail(9_000, Duration.ZERO, 0).at(),
                "nothing prepared yet: 100 µs per event");
        assertEquals(NOW.plusMillis(60_000 - 200 - 900), deadline.keepingTail(9_000, Duration.ofMillis(9), 300).at(),
                "30 µs per event measured: still at least 100 µs");
        assertEquals(NOW.plusMillis(60_000 - 200 - 900), deadline.keepingTail(9_000, Duration.ofSeconds(2), 255).at(),
                "too few events prepared to trust their time");
        assertEquals(NOW.plusMillis(60_000 - 200 - 5_400), deadline.keepingTail(9_000, Duration.ofMillis(300), 1_000).at(),
                "300 µs per event measured (a slow CPU): twice that kept for each of 9 000 events");
        assertTrue(deadline.keepingTail(9_000, Duration.ofSeconds(2), 300).passed(), "more than the invocation holds");
    }

    @Test
    void aBudgetEndingEarlyEnoughKeepsItsDeadline() {
        Deadline http = Deadline.of(clock, NOW, BUDGET, NOW.plusSeconds(6));
        assertEquals(NOW.plus(BUDGET), http.keepingTail(4_000, Duration.ofMillis(400), 4_000).at(),
                "Lambda's 6 s leave 2 s after a 4 s budget, more than 4 000 × 2 × 100 µs");
        assertEquals(NOW.plusMillis(6_000 - 200 - 4_000), http.keepingTail(4_000, Duration.ofMillis(2_000), 4_000).at(),
                "at 2 × 500 µs per event the 2 s are not enough");
        Deadline local = Deadline.of(clock, NOW, BUDGET, null);
        assertEquals(local, local.keepingTail(4_000, Duration.ofSeconds(1), 10), "outside Lambda nothing times out");
    }

    @Test
    void remainingNeverGoesNegative() {
        Deadline deadline = Deadline.of(clock, NOW, Duration.ofSeconds(1), null);
        assertFalse(deadline.passed());
        clock.advance(Duration.ofMillis(999));
        assertEquals(Duration.ofMillis(1), deadline.remaining());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(Duration.ZERO, deadline.remaining());
        assertTrue(deadline.passed());
    }

    @Test
    void lambdaAlmostOutOfTimeGivesAnAlreadyPassedDeadline() {
        assertTrue(Deadline.of(clock, NOW, BUDGET, NOW.plusMillis(150)).passed());
    }
}
