package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The answer to every call (SPEC §7): counts and one result per event, in request order. */
public record Report(int delivered, int skipped, int rejected, int failed, List<EventResult> results,
                     Optional<Duration> throttledRetryAfter, boolean throttled) {

    public static Report of(List<EventResult> results, List<EventOutcome> outcomes) {
        int delivered = 0, skipped = 0, rejected = 0, failed = 0;
        boolean throttled = false;
        Duration retryAfter = null;
        for (EventOutcome outcome : outcomes) {
            if (outcome instanceof EventOutcome.Delivered) {
                delivered++;
            } else if (outcome instanceof EventOutcome.Skipped) {
                skipped++;
            } else if (outcome instanceof EventOutcome.Rejected) {
                rejected++;
            } else if (outcome instanceof EventOutcome.Failed f) {
                failed++;
                if (f.throttled()) {
                    throttled = true;
                    if (f.retryAfter().isPresent() && (retryAfter == null || f.retryAfter().get().compareTo(retryAfter) > 0)) {
                        retryAfter = f.retryAfter().get();
                    }
                }
            }
        }
        return new Report(delivered, skipped, rejected, failed, List.copyOf(results), Optional.ofNullable(retryAfter), throttled);
    }

    /** The report as callers receive it: counts, then one result per event. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("delivered", delivered);
        json.put("skipped", skipped);
        json.put("rejected", rejected);
        json.put("failed", failed);
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
            if ("failed".equals(result.status())) {
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
