package io.segmentramen.observability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.ramen.RamenClient;
import io.segmentramen.ramen.RamenReply;

import java.time.Duration;

/** Counts every HTTP request towards Ramen and its latency into the current {@link RequestMetrics}. */
public final class MeteredRamenClient implements RamenClient {

    private final RamenClient delegate;

    public MeteredRamenClient(RamenClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public RamenReply send(ObjectNode payload, Duration timeout) {
        long started = System.nanoTime();
        try {
            return delegate.send(payload, timeout);
        } finally {
            RequestMetrics.countRamenRequest((System.nanoTime() - started) / 1_000);
        }
    }
}
