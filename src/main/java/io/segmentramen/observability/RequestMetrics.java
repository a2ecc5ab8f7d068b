package io.segmentramen.observability;

import io.segmentramen.auth.AuthResult;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Status;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one invocation or HTTP request did, for its one EMF line (metrics listed in docs/RUNBOOK.md,
 * "What the function tells you"): the entry point opens it with {@link MetricsEmitter#begin()} on its
 * thread, every outcome line counts into it
 * ({@link #countOutcome}) — so the metrics equal the outcome lines and the report by construction —
 * and closing it writes the line. Ramen requests are the events' attempts and the latencies their
 * delivery times (all attempts of one event), as the outcome lines state them. Outside a request
 * the static methods do nothing.
 */
public final class RequestMetrics implements AutoCloseable {

    private static final ThreadLocal<RequestMetrics> CURRENT = new ThreadLocal<>();
    private static final AtomicBoolean FIRST_REQUEST = new AtomicBoolean(true);

    private final MetricsEmitter emitter;
    private final RequestMetrics enclosing;
    private final boolean coldStart;
    private volatile boolean dryRun;
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
    private final AtomicInteger authPrevious = new AtomicInteger();

    RequestMetrics(MetricsEmitter emitter) {
        this.emitter = emitter;
        this.enclosing = CURRENT.get();
        this.coldStart = FIRST_REQUEST.getAndSet(false);
        CURRENT.set(this);
    }

    private static RequestMetrics install(RequestMetrics metrics) {
        RequestMetrics before = CURRENT.get();
        if (metrics == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(metrics);
        }
        return before;
    }

    /** True for the first request this process served. */
    public boolean coldStart() {
        return coldStart;
    }

    /** True when the current request is a dry run: its outcome lines say so and it emits no metrics. */
    public static boolean isDryRun() {
        RequestMetrics metrics = CURRENT.get();
        return metrics != null && metrics.dryRun;
    }

    /** This request is a dry run: no metrics line, and outcome lines marked {@code dryRun}. */
    public static void markDryRun() {
        RequestMetrics metrics = CURRENT.get();
        if (metrics != null) {
            metrics.dryRun = true;
        }
    }

    /** One event's outcome, as its outcome line states it: status, reason, attempts and delivery time. */
    public static void countOutcome(Status status, Reason reason, int attempts, long latencyMs) {
        RequestMetrics metrics = CURRENT.get();
        if (metrics != null) {
            metrics.add(status, reason, attempts, latencyMs);
        }
    }

    /**
     * A whole request refused before any event was looked at (docs/CONTRACT.md §2, {@code refused}:
     * 400, 401, 405, 413, 415; a direct invocation's {@code error} result): no event has an outcome
     * line, so the refusal is counted here, as {@code Refused} and {@code Refused_<code>}, where an
     * alarm can see it.
     */
    public static void countRefusal(Reason reason) {
        RequestMetrics metrics = CURRENT.get();
        if (metrics != null) {
            synchronized (metrics) {
                metrics.refused++;
                metrics.refusedByCode.merge(reason.code(), 1, Integer::sum);
            }
        }
    }

    /**
     * A request, SQS record or authorizer call that was authenticated: counted in {@code AuthPrevious}
     * when a previous secret or token matched (the rotation window of docs/RUNBOOK.md, "Rotating a
     * secret without losing events").
     */
    public static void countAuthentication(AuthResult auth) {
        RequestMetrics metrics = CURRENT.get();
        if (metrics != null && auth instanceof AuthResult.Authenticated authenticated && authenticated.previous()) {
            metrics.authPrevious.incrementAndGet();
        }
    }

    private synchronized void add(Status status, Reason reason, int eventAttempts, long latencyMs) {
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
                if (reason != null) {
                    rejectedByReason.merge(reason.code(), 1, Integer::sum);
                }
            }
            case FAILED -> {
                failed++;
                if (reason != null) {
                    failedByReason.merge(reason.code(), 1, Integer::sum);
                }
                if (reason != null && reason.configurationError()) {
                    configurationErrors++;
                }
            }
        }
    }

    /** Ends the request: writes its EMF line unless it was a dry run, and restores the enclosing request. */
    @Override
    public void close() {
        if (CURRENT.get() == this) {
            install(enclosing);
        }
        if (!dryRun) {
            emitter.emit(snapshot());
        }
    }

    /** The figures as they stand. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(delivered, skipped, rejected, failed, Map.copyOf(rejectedByReason), Map.copyOf(failedByReason),
                configurationErrors, attempts, ramenLatencyMaxMs, ramenLatencySumMs, attempts, authPrevious.get(), coldStart,
                refused, Map.copyOf(refusedByCode));
    }

    /** The metric values of one request (latencies in milliseconds). */
    public record Snapshot(int delivered, int skipped, int rejected, int failed, Map<String, Integer> rejectedByReason,
                           Map<String, Integer> failedByReason, int configurationErrors, int ramenRequests,
                           long ramenLatencyMaxMs, long ramenLatencySumMs, int attempts, int authPrevious, boolean coldStart,
                           int refused, Map<String, Integer> refusedByCode) {
    }
}
