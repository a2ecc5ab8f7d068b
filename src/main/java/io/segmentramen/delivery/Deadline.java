package io.segmentramen.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The one point in time by which a request or invocation must stop delivering (docs/CONTRACT.md §5).
 * Inside Lambda it also leaves room for what every invocation does after it, whatever the batch: an
 * outcome line and a report entry per event, the report, the metrics line — so that the answer is
 * written before Lambda's timeout however many events are still pending (see {@link #keepingTail}).
 *
 * @param lambdaEnd when the Lambda invocation times out, or null outside Lambda
 */
public record Deadline(Instant at, Instant lambdaEnd, Clock clock) {

    /** Kept before Lambda's timeout for the fixed part of answering: the metrics line, the runtime's response. */
    static final Duration LAMBDA_MARGIN = Duration.ofMillis(200);
    /**
     * The least time kept per event for answering: its outcome line, its report entry and its part of
     * the serialised answer. Measured on a CPU quota of 15 % of one core (what a 256 MB Lambda has):
     * bench/README.md §9.
     */
    static final Duration TAIL_PER_EVENT = Duration.ofNanos(100_000);
    /** Time kept per event for answering it, as a multiple of the time preparing one took. */
    static final int TAIL_TO_PREPARATION = 2;
    /** Events prepared before their time is trusted: the first few of a batch can stall (class loading, a collection). */
    static final int MIN_PREPARED = 256;

    /**
     * @param start     when the request began: API Gateway's timeEpoch when known, so queueing and cold start count
     * @param budget    RAMEN_DEADLINE, or for the queue the whole invocation
     * @param lambdaEnd when the Lambda invocation times out, or null outside Lambda
     */
    public static Deadline of(Clock clock, Instant start, Duration budget, Instant lambdaEnd) {
        Instant at = start.plus(budget);
        if (lambdaEnd != null && lambdaEnd.minus(LAMBDA_MARGIN).isBefore(at)) {
            at = lambdaEnd.minus(LAMBDA_MARGIN);
        }
        return new Deadline(at, lambdaEnd, clock);
    }

    /**
     * This deadline, brought forward when needed so that answering {@code events} events still ends
     * before Lambda's timeout. Answering one event (its line, its report entry) is lighter work than
     * reading, checking and mapping it; twice what that took per event so far — on whatever CPU the
     * function has, a fraction of a core or a busy machine — is kept for each (measured:
     * bench/README.md §9), and never less than {@link #TAIL_PER_EVENT}; until {@link #MIN_PREPARED}
     * events have been prepared, that least time.
     *
     * @param preparing how long preparing the first {@code prepared} events took
     */
    public Deadline keepingTail(int events, Duration preparing, int prepared) {
        if (lambdaEnd == null) {
            return this;
        }
        Duration perEvent = prepared < MIN_PREPARED ? TAIL_PER_EVENT : preparing.multipliedBy(TAIL_TO_PREPARATION).dividedBy(prepared);
        if (perEvent.compareTo(TAIL_PER_EVENT) < 0) {
            perEvent = TAIL_PER_EVENT;
        }
        Instant last = lambdaEnd.minus(LAMBDA_MARGIN).minus(perEvent.multipliedBy(events));
        return last.isBefore(at) ? new Deadline(last, lambdaEnd, clock) : this;
    }

    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), at);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean passed() {
        return !clock.instant().isBefore(at);
    }
}
