package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.observability.RequestMetrics;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Status;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The answer to every call (docs/CONTRACT.md §2): counts and one result per event, in request order;
 * {@code answer} is the strongest effect its events' reasons have on an HTTP answer.
 */
public record Report(int delivered, int skipped, int rejected, int failed, List<EventResult> results,
                     Optional<Duration> retryAfter, Reason.Answer answer) {

    private static final Logger LOG = Logger.getLogger(Report.class);

    /**
     * The most a report may weigh, serialised: half of Lambda's 6 MB response limit, because API
     * Gateway's response carries it as an escaped JSON string, which can be twice as long. Per event
     * a result is bounded (docs/CONTRACT.md §3), but 4 000 of them with 20 warnings each are not.
     */
    public static final int MAX_BYTES = 3_000_000;

    public static Report of(List<EventResult> results) {
        int[] counts = new int[Status.values().length];
        Reason.Answer answer = Reason.Answer.NONE;
        Duration retryAfter = null;
        for (EventResult result : results) {
            counts[result.status().ordinal()]++;
            if (result.rejectionReason() != null) {
                answer = answer.strongest(result.rejectionReason().answer());
            }
            if (result.outcome() instanceof EventOutcome.Failed f) {
                // docs/CONTRACT.md §5: Ramen's Retry-After is passed on, whatever the status it came with (429, 503, ...)
                if (f.retryAfter().isPresent() && (retryAfter == null || f.retryAfter().get().compareTo(retryAfter) > 0)) {
                    retryAfter = f.retryAfter().get();
                }
            }
        }
        return new Report(counts[Status.DELIVERED.ordinal()], counts[Status.SKIPPED.ordinal()], counts[Status.REJECTED.ordinal()],
                counts[Status.FAILED.ordinal()], List.copyOf(results), Optional.ofNullable(retryAfter), answer);
    }

    /** The request's metrics as these results state them: one outcome per event, as its outcome line says. */
    public RequestMetrics metrics() {
        RequestMetrics metrics = RequestMetrics.empty();
        for (EventResult result : results) {
            metrics.outcome(result.status(), result.rejectionReason(), result.attempts(), result.latencyMs());
        }
        return metrics;
    }

    /**
     * The report as callers receive it, written once: counts, then one result per event, as detailed as
     * {@link #MAX_BYTES} allows (a rendering measured against it is not written again).
     */
    public byte[] toBytes() {
        return fitting(this::toJson, results.size(), upperBound()).bytes();
    }

    /** The report at a given detail; every event has its result at every detail. */
    public ObjectNode toJson(EventResult.Detail detail) {
        ObjectNode json = Json.object();
        json.put(Status.DELIVERED.wireName(), delivered);
        json.put(Status.SKIPPED.wireName(), skipped);
        json.put(Status.REJECTED.wireName(), rejected);
        json.put(Status.FAILED.wireName(), failed);
        ArrayNode list = json.putArray("results");
        results.forEach(result -> list.add(result.toJson(detail)));
        return json;
    }

    /** Serialised bytes this report can reach at full detail, at most (no serialisation needed). */
    long upperBound() {
        long bytes = 100;
        for (EventResult result : results) {
            bytes += result.upperBound();
        }
        return bytes;
    }

    /**
     * The most detailed rendering within {@link #MAX_BYTES}: full when {@code upperBound} says it
     * fits without measuring, else the first detail measured to fit, else the minimal one. What a
     * smaller detail leaves out is still in each event's outcome log line; a WARN says it happened.
     */
    static Fitted fitting(Function<EventResult.Detail, ObjectNode> render, int events, long upperBound) {
        if (upperBound <= MAX_BYTES) {
            return new Fitted(render.apply(EventResult.Detail.FULL), null);
        }
        long fullBytes = 0;
        for (EventResult.Detail detail : EventResult.Detail.values()) {
            ObjectNode json = render.apply(detail);
            byte[] written = detail == EventResult.Detail.MINIMAL ? null : Json.bytes(json);
            long bytes = written == null ? 0 : written.length;
            if (detail == EventResult.Detail.FULL) {
                fullBytes = bytes;
            }
            if (bytes <= MAX_BYTES) {
                if (detail != EventResult.Detail.FULL) {
                    LOG.warnf("the report of %d events would be %d bytes, over %d (Lambda's response limit, escaped): sent %s; "
                            + "each event's log line has its whole result", events, fullBytes, MAX_BYTES, detail.describe());
                }
                return new Fitted(json, written);
            }
        }
        throw new IllegalStateException("unreachable: the minimal report is always sent");
    }

    /** The rendering chosen, and its bytes when measuring it wrote them already (null otherwise). */
    record Fitted(ObjectNode json, byte[] written) {

        byte[] bytes() {
            return written != null ? written : Json.bytes(json);
        }
    }

    public boolean anyFailed() {
        return failed > 0;
    }

    /**
     * "m1 (ramen_unavailable), m2 (blocked_by_earlier_failure)": for a Lambda error message, which
     * the Lambda runtime logs and returns; emails among the messageIds are masked as on outcome lines.
     */
    public String failedSummary() {
        StringBuilder summary = new StringBuilder();
        for (EventResult result : results) {
            if (result.status() == Status.FAILED) {
                if (!summary.isEmpty()) {
                    summary.append(", ");
                }
                summary.append(result.messageId() == null ? "#" + result.index() : OutcomeLog.mask(result.messageId()))
                        .append(" (").append(result.reason()).append(')');
            }
        }
        return summary.toString();
    }
}
