package io.segmentramen.observability;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one invocation or HTTP request did, for its one EMF line (SPEC §14): the entry point opens
 * it with {@link MetricsEmitter#begin()}, every outcome line counts into it ({@link #countOutcome}),
 * every HTTP request towards Ramen adds its latency, and closing it writes the line. It is found
 * through {@link #current()} on the thread that opened it and on the delivery threads it hands work
 * to ({@link ContextPropagatingExecutor}); outside any request the static methods do nothing.
 */
public final class RequestMetrics implements AutoCloseable {

    /**
     * Failed reasons that are configuration errors, not outages (SPEC §13/§14): the
     * {@code ConfigurationErrors} metric counts them and their outcome lines are logged at ERROR.
     */
    public static final Set<String> CONFIGURATION_ERROR_REASONS =
            Set.of("ramen_unauthorized", "ramen_unknown_organization", "ramen_redirect", "batch_needs_token");

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
    private final AtomicInteger ramenRequests = new AtomicInteger();
    private final AtomicLong ramenLatencySumMicros = new AtomicLong();
    private final AtomicLong ramenLatencyMaxMicros = new AtomicLong();
    private final AtomicInteger authPrevious = new AtomicInteger();

    RequestMetrics(MetricsEmitter emitter) {
        this.emitter = emitter;
        this.enclosing = CURRENT.get();
        this.coldStart = FIRST_REQUEST.getAndSet(false);
        CURRENT.set(this);
    }

    /** The request being served on this thread, or null outside one. */
    public static RequestMetrics current() {
        return CURRENT.get();
    }

    /** Makes {@code metrics} (possibly null) current on this thread; returns what was current before. */
    static RequestMetrics install(RequestMetrics metrics) {
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

    /** True when the current request is a dry run (SPEC §14): its outcome lines say so and it emits no metrics. */
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

    /** One event's outcome, as its outcome line states it. */
    public static void countOutcome(String status, String reason, int attempts) {
        RequestMetrics metrics = CURRENT.get();
        if (metrics != null) {
            metrics.add(status, reason, attempts);
        }
    }

    /** One HTTP request towards Ramen, answered or not, and how long it took. */
    public static void countRamenRequest(long micros) {
        RequestMetrics metrics = CURRENT.get();
        if (metrics != null) {
            metrics.ramenRequests.incrementAndGet();
            metrics.ramenLatencySumMicros.addAndGet(micros);
            metrics.ramenLatencyMaxMicros.accumulateAndGet(micros, Math::max);
        }
    }

    /** The request was authenticated by a previous secret or token (rotation window, SPEC §14). */
    public static void countAuthPrevious() {
        RequestMetrics metrics = CURRENT.get();
        if (metrics != null) {
            metrics.authPrevious.incrementAndGet();
        }
    }

    public static boolean isConfigurationError(String reason) {
        return reason != null && CONFIGURATION_ERROR_REASONS.contains(reason);
    }

    private synchronized void add(String status, String reason, int eventAttempts) {
        attempts += eventAttempts;
        switch (status) {
            case "delivered" -> delivered++;
            case "skipped" -> skipped++;
            case "rejected" -> {
                rejected++;
                if (reason != null) {
                    rejectedByReason.merge(reason, 1, Integer::sum);
                }
            }
            case "failed" -> {
                failed++;
                if (reason != null) {
                    failedByReason.merge(reason, 1, Integer::sum);
                }
                if (isConfigurationError(reason)) {
                    configurationErrors++;
                }
            }
            default -> {
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
                configurationErrors, ramenRequests.get(), ramenLatencyMaxMicros.get() / 1000.0, ramenLatencySumMicros.get() / 1000.0,
                attempts, authPrevious.get(), coldStart);
    }

    /** The metric values of one request (latencies in milliseconds). */
    public record Snapshot(int delivered, int skipped, int rejected, int failed, Map<String, Integer> rejectedByReason,
                           Map<String, Integer> failedByReason, int configurationErrors, int ramenRequests,
                           double ramenLatencyMaxMs, double ramenLatencySumMs, int attempts, int authPrevious, boolean coldStart) {
    }
}
