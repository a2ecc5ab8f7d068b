package io.segmentramen.delivery;

import io.segmentramen.outcome.Reason;
import io.segmentramen.segment.EventParser;
import io.segmentramen.segment.ParsedRequest;
import io.segmentramen.segment.RequestError;
import io.segmentramen.segment.ScannedBody;
import io.segmentramen.segment.RawEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A request body in, a report out: what every entry point does once it has the raw bytes. */
public final class EventIntake {

    private final EventParser parser;
    private final EventPipeline pipeline;
    private final Clock clock;
    private final int maxBodyBytes;
    private final Duration deadlineBudget;

    public EventIntake(EventParser parser, EventPipeline pipeline, Clock clock, int maxBodyBytes, Duration deadlineBudget) {
        this.parser = parser;
        this.pipeline = pipeline;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.deadlineBudget = deadlineBudget;
    }

    private void checkSize(byte[] body) throws RequestError {
        if (body != null && body.length > maxBodyBytes) {
            throw new RequestError(Reason.BODY_TOO_LARGE,
                    "the body is " + body.length + " bytes, above MAX_BODY_BYTES (" + maxBodyBytes + "); send smaller batches");
        }
    }

    /** MAX_BODY_BYTES: also how far a compressed body may inflate. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public ParsedRequest parse(byte[] body) throws RequestError {
        return parse(scan(body));
    }

    /** The body, to be scanned once by whichever of authentication and {@link #parse(ScannedBody)} needs it first. */
    public ScannedBody scan(byte[] body) {
        return parser.scan(body);
    }

    public ParsedRequest parse(ScannedBody body) throws RequestError {
        checkSize(body.body());
        return parser.parse(body);
    }

    /**
     * @param startedAt       when the request began (API Gateway's timeEpoch when known)
     * @param lambdaEnd when the Lambda invocation times out, or null outside Lambda
     */
    public Report process(ParsedRequest request, Instant startedAt, Instant lambdaEnd) {
        Deadline deadline = Deadline.of(clock, startedAt == null ? clock.instant() : startedAt, deadlineBudget, lambdaEnd);
        return pipeline.process(request.events(), deadline);
    }

    /** The dry run of a parsed request (docs/CONTRACT.md §8): nothing sent, no dedup state touched. */
    public DryRunReport dryRun(ParsedRequest request) {
        return pipeline.dryRun(request.events());
    }

    /**
     * For the queue: no webhook is waiting, so the whole invocation up to {@code lambdaEnd} is the
     * budget (RAMEN_DEADLINE only when that is unknown).
     */
    public Report processQueued(List<RawEvent> events, Instant lambdaEnd) {
        Instant now = clock.instant();
        Duration budget = lambdaEnd == null ? deadlineBudget : Duration.between(now, lambdaEnd);
        return pipeline.process(events, Deadline.of(clock, now, budget, lambdaEnd));
    }
}
