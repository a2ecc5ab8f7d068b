package io.segmentramen.testing;

import io.segmentramen.delivery.Sleeper;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The application's clock on a CPU {@code slowdown} times slower than this one: every real
 * nanosecond that passes is {@code slowdown} nanoseconds of this clock, so every piece of work —
 * parsing, mapping, one outcome line — costs {@code slowdown} times its real time, as on a Lambda
 * with a fraction of a core (15 % of a core: 1 / 0.15 ≈ 6.7). Waits are in this clock's time too:
 * {@link #after} and {@link #sleeper()} complete when this clock has moved by the duration, which
 * takes {@code 1 / slowdown} of it in real time.
 */
public final class SlowCpuClock extends UtcClock implements AutoCloseable {

    private final double slowdown;
    private final Instant origin = Instant.parse("2026-11-28T12:00:00Z");
    private final long originNanos = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "slow-cpu-clock");
        thread.setDaemon(true);
        return thread;
    });

    public SlowCpuClock(double slowdown) {
        this.slowdown = slowdown;
    }

    @Override
    public Instant instant() {
        return origin.plusNanos((long) ((System.nanoTime() - originNanos) * slowdown));
    }

    /** Completes on the timer thread once this clock has moved by {@code duration}. */
    public CompletionStage<Void> after(Duration duration) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        timer.schedule(() -> done.complete(null), (long) (duration.toNanos() / slowdown), TimeUnit.NANOSECONDS);
        return done;
    }

    /** Backoff waits in this clock's time, without holding a thread. */
    public Sleeper sleeper() {
        return this::after;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
