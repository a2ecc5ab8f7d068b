package io.segmentramen.ramen;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Sends one payload to Ramen once. Retries belong to delivery, not here. */
public interface RamenClient {

    RamenReply send(ObjectNode payload, Duration timeout);

    /** The same without holding a thread while Ramen answers; a client that can, overrides it. */
    default CompletionStage<RamenReply> sendAsync(ObjectNode payload, Duration timeout) {
        return CompletableFuture.completedFuture(send(payload, timeout));
    }
}
