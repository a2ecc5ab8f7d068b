package io.segmentramen.ramen;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** Sends one payload to Ramen once. Retries belong to delivery, not here. */
public interface RamenClient {

    /**
     * Completes with Ramen's reply (or why there was none) without holding a thread while Ramen answers.
     *
     * @param json the payload exactly as it goes on the wire (signed, when it is)
     */
    CompletionStage<RamenReply> sendAsync(byte[] json, Duration timeout);
}
