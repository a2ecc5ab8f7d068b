package io.segmentramen.ramen;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** Sends one payload to Ramen once. Retries belong to delivery, not here. */
public interface RamenClient {

    /** Completes with Ramen's reply (or why there was none) without holding a thread while Ramen answers. */
    CompletionStage<RamenReply> sendAsync(ObjectNode payload, Duration timeout);
}
