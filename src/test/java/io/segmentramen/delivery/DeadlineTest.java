package io.segmentramen.delivery;

import io.segmentramen.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC §6: RAMEN_DEADLINE from the request's start, never beyond the Lambda's remaining time minus 200 ms. */
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
        Deadline deadline = Deadline.of(clock, NOW, BUDGET, Duration.ofSeconds(3));
        assertEquals(NOW.plusMillis(2_800), deadline.at(), "200 ms are kept for answering");
    }

    @Test
    void budgetWinsWhenTheLambdaHasMoreTime() {
        assertEquals(NOW.plus(BUDGET), Deadline.of(clock, NOW, BUDGET, Duration.ofMinutes(5)).at());
        assertEquals(NOW.plus(BUDGET), Deadline.of(clock, NOW, BUDGET, Duration.ofMillis(4_200)).at(), "4.2 s left: exactly the budget");
        assertEquals(NOW.plusMillis(3_900), Deadline.of(clock, NOW, BUDGET, Duration.ofMillis(4_100)).at(), "4.1 s left: 200 ms margin wins");
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
        assertTrue(Deadline.of(clock, NOW, BUDGET, Duration.ofMillis(150)).passed());
    }
}
