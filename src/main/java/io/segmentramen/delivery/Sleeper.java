package io.segmentramen.delivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Waiting between attempts; injected so that retry rules are tested without real time. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /**
     * The same wait without holding a thread; completes exceptionally with {@link InterruptedException}
     * when the wait was interrupted. By default it sleeps, which suits test sleepers that only move a clock.
     */
    default CompletionStage<Void> delay(Duration duration) {
        try {
            sleep(duration);
            return CompletableFuture.completedFuture(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Real time: a shared timer continues the delivery after the wait; no thread waits for it. */
    Sleeper REAL = new Sleeper() {
        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }

        @Override
        public CompletionStage<Void> delay(Duration duration) {
            // Runnable::run: the next attempt starts on the JDK's one delay-scheduler thread (it only
            // hands the request to Vert.x), not on the common pool, which on a 1-vCPU Lambda starts a
            // thread per task.
            return CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(duration.toMillis(), TimeUnit.MILLISECONDS, Runnable::run));
        }
    };
}
