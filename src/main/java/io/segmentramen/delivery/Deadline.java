package io.segmentramen.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The one point in time by which a request or invocation must have answered (SPEC §6). */
public record Deadline(Instant at, Clock clock) {

    /**
     * @param start           when the request began: API Gateway's timeEpoch when known, so queueing and cold start count
     * @param budget          RAMEN_DEADLINE
     * @param lambdaRemaining the Lambda's remaining time, if running in Lambda
     */
    public static Deadline of(Clock clock, Instant start, Duration budget, Duration lambdaRemaining) {
        Instant at = start.plus(budget);
        if (lambdaRemaining != null) {
            Instant lambdaEnd = clock.instant().plus(lambdaRemaining).minus(LAMBDA_MARGIN);
            if (lambdaEnd.isBefore(at)) {
                at = lambdaEnd;
            }
        }
        return new Deadline(at, clock);
    }

    private static final Duration LAMBDA_MARGIN = Duration.ofMillis(200);

    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), at);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean passed() {
        return remaining().isZero();
    }
}
