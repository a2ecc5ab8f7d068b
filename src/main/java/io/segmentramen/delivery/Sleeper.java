package io.segmentramen.delivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Waiting between attempts; injected so that retry rules are tested without real time. */
@FunctionalInterface
public interface Sleeper {

    /** Completes once the wait is over, without holding a thread. */
    CompletionStage<Void> delay(Duration duration);

    /**
     * Real time: a shared timer continues the delivery after the wait. {@code Runnable::run}: the next
     * attempt starts on the JDK's one delay-scheduler thread (it only hands the request to Vert.x), not on
     * the common pool, which on a 1-vCPU Lambda starts a thread per task.
     */
    Sleeper REAL = duration -> CompletableFuture.runAsync(() -> { },
            CompletableFuture.delayedExecutor(duration.toMillis(), TimeUnit.MILLISECONDS, Runnable::run));
}
