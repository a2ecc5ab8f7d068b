package io.segmentramen.ramen;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;

/** Sends one payload to Ramen once. Retries belong to delivery, not here. */
public interface RamenClient {

    RamenReply send(ObjectNode payload, Duration timeout);
}
