package io.segmentramen.delivery;

import java.time.Duration;

/** Waiting between attempts; injected so that retry rules are tested without real time. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());
}
