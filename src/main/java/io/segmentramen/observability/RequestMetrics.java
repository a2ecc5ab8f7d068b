package io.segmentramen.observability;

import io.segmentramen.auth.AuthResult;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Status;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one invocation or HTTP request did, as its one EMF line states it (metrics listed in
 * docs/RUNBOOK.md, "What the function tells you"). It is derived from what the request produced —
 * its report's results, the records or the request it refused, the authentication it passed — by
 * the entry point that holds them, and handed to {@link MetricsEmitter#emit}: nothing counts into
 * it from elsewhere. Ramen requests are the events' attempts and the latencies their delivery times
 * (all attempts of one event), as the outcome lines state them. One request's; not shared between threads.
 */
public final class RequestMetrics {

    private final boolean dryRun;
    private int delivered;
    private int skipped;
    private int rejected;
    private int failed;
    private int configurationErrors;
    private int attempts;
    private final Map<String, Integer> rejectedByReason = new TreeMap<>();
    private final Map<String, Integer> failedByReason = new TreeMap<>();
    private int refused;
    private final Map<String, Integer> refusedByCode = new TreeMap<>();
    private long ramenLatencySumMs;
    private long ramenLatencyMaxMs;
    private int authPrevious;

    private RequestMetrics(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /** A request that has done nothing yet. */
    public static RequestMetrics empty() {
        return new RequestMetrics(false);
    }

    /** A dry run's (docs/CONTRACT.md §8): it is nobody's traffic, so it writes no metrics line at all. */
    public static RequestMetrics ofDryRun() {
        return new RequestMetrics(true);
    }

    /** A request refused whole before any event was looked at. */
    public static RequestMetrics ofRefusal(Reason reason) {
        return empty().refusal(reason);
    }

    /** True for a dry run: no metrics line. */
    public boolean dryRun() {
        return dryRun;
    }

    /** One event's outcome, as its outcome line states it: status, reason, attempts and delivery time. */
    public RequestMetrics outcome(Status status, Reason reason, int eventAttempts, long latencyMs) {
        attempts += eventAttempts;
        if (eventAttempts > 0) {
            ramenLatencySumMs += latencyMs;
            ramenLatencyMaxMs = Math.max(ramenLatencyMaxMs, latencyMs);
        }
        switch (status) {
            case DELIVERED -> delivered++;
            case SKIPPED -> skipped++;
            case REJECTED -> {
                rejected++;
                rejectedByReason.merge(reason.code(), 1, Integer::sum);
            }
            case FAILED -> {
                failed++;
                failedByReason.merge(reason.code(), 1, Integer::sum);
                if (reason.configurationError()) {
                    configurationErrors++;
                }
            }
        }
        return this;
    }

    /**
     * A whole request refused before any event was looked at (docs/CONTRACT.md §2, {@code refused}:
     * 400, 401, 405, 413, 415; a direct invocation's {@code error} result): no event has an outcome
     * line, so the refusal is counted here, as {@code Refused} and {@code Refused_<code>}, where an
     * alarm can see it.
     */
    public RequestMetrics refusal(Reason reason) {
        refused++;
        refusedByCode.merge(reason.code(), 1, Integer::sum);
        return this;
    }

    /**
     * A request, SQS record or authorizer call that passed authentication: counted in {@code AuthPrevious}
     * when a previous secret or token matched (the rotation window of docs/RUNBOOK.md, "Rotating a
     * secret without losing events").
     */
    public RequestMetrics authentication(AuthResult auth) {
        if (auth instanceof AuthResult.Authenticated authenticated && authenticated.previous()) {
            authPrevious++;
        }
        return this;
    }

    /** Adds another part of the same request (an SQS batch's records and its events). */
    public RequestMetrics add(RequestMetrics other) {
        delivered += other.delivered;
        skipped += other.skipped;
        rejected += other.rejected;
        failed += other.failed;
        configurationErrors += other.configurationErrors;
        attempts += other.attempts;
        other.rejectedByReason.forEach((code, n) -> rejectedByReason.merge(code, n, Integer::sum));
        other.failedByReason.forEach((code, n) -> failedByReason.merge(code, n, Integer::sum));
        refused += other.refused;
        other.refusedByCode.forEach((code, n) -> refusedByCode.merge(code, n, Integer::sum));
        ramenLatencySumMs += other.ramenLatencySumMs;
        ramenLatencyMaxMs = Math.max(ramenLatencyMaxMs, other.ramenLatencyMaxMs);
        authPrevious += other.authPrevious;
        return this;
    }

    /** The figures as they stand. */
    public Snapshot snapshot(boolean coldStart) {
        return new Snapshot(delivered, skipped, rejected, failed, Map.copyOf(rejectedByReason), Map.copyOf(failedByReason),
                configurationErrors, attempts, ramenLatencyMaxMs, ramenLatencySumMs, attempts, authPrevious, coldStart,
                refused, Map.copyOf(refusedByCode));
    }

    /** The metric values of one request (latencies in milliseconds). */
    public record Snapshot(int delivered, int skipped, int rejected, int failed, Map<String, Integer> rejectedByReason,
                           Map<String, Integer> failedByReason, int configurationErrors, int ramenRequests,
                           long ramenLatencyMaxMs, long ramenLatencySumMs, int attempts, int authPrevious, boolean coldStart,
                           int refused, Map<String, Integer> refusedByCode) {
    }
}
