package io.segmentramen.delivery;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential backoff with full jitter: a uniform wait in [0, base × 2^(attempt−1)). */
public record Backoff(Duration base, DoubleSupplier random) {

    public Duration delayAfter(int attempt) {
        long ceiling = base.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
    }
}
