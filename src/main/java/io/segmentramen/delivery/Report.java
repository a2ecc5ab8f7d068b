package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.outcome.Status;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The answer to every call (SPEC §7): counts and one result per event, in request order. */
public record Report(int delivered, int skipped, int rejected, int failed, List<EventResult> results,
                     Optional<Duration> throttledRetryAfter, boolean throttled) {

    public static Report of(List<EventResult> results) {
        int[] counts = new int[Status.values().length];
        boolean throttled = false;
        Duration retryAfter = null;
        for (EventResult result : results) {
            counts[result.status().ordinal()]++;
            if (result.outcome() instanceof EventOutcome.Failed f && f.throttled()) {
                throttled = true;
                if (f.retryAfter().isPresent() && (retryAfter == null || f.retryAfter().get().compareTo(retryAfter) > 0)) {
                    retryAfter = f.retryAfter().get();
                }
            }
        }
        return new Report(counts[Status.DELIVERED.ordinal()], counts[Status.SKIPPED.ordinal()], counts[Status.REJECTED.ordinal()],
                counts[Status.FAILED.ordinal()], List.copyOf(results), Optional.ofNullable(retryAfter), throttled);
    }

    /** The report as callers receive it: counts, then one result per event. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put(Status.DELIVERED.wireName(), delivered);
        json.put(Status.SKIPPED.wireName(), skipped);
        json.put(Status.REJECTED.wireName(), rejected);
        json.put(Status.FAILED.wireName(), failed);
        ArrayNode list = json.putArray("results");
        results.forEach(result -> list.add(result.toJson()));
        return json;
    }

    public boolean anyFailed() {
        return failed > 0;
    }

    /** "m1 (ramen_unavailable), m2 (blocked_by_earlier_failure)": for a Lambda error message. */
    public String failedSummary() {
        StringBuilder summary = new StringBuilder();
        for (EventResult result : results) {
            if (result.status() == Status.FAILED) {
                if (!summary.isEmpty()) {
                    summary.append(", ");
                }
                summary.append(result.messageId() == null ? "#" + result.index() : result.messageId())
                        .append(" (").append(result.reason()).append(')');
            }
        }
        return summary.toString();
    }
}
