package io.segmentramen.testing;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;

/**
 * The application's clock in every @QuarkusTest: the system clock until a test fixes it, so that
 * Secure Mode timestamps and hashes are exact in golden files. Replaces the default Clock bean.
 */
@Singleton
public class MutableClock extends UtcClock {

    private volatile Instant fixed;

    public void fixAt(Instant instant) {
        fixed = instant;
    }

    public void advance(Duration duration) {
        fixed = instant().plus(duration);
    }

    public void reset() {
        fixed = null;
    }

    @Override
    public Instant instant() {
        Instant now = fixed;
        return now != null ? now : Instant.now();
    }
}
