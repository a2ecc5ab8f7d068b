package io.segmentramen.faults;

import java.util.UUID;

/** Small Segment events with ids unique per call: the dedup cache outlives a test method. */
final class RamenEvents {

    private RamenEvents() {
    }

    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static String track(String userId, String messageId) {
        return "{\"type\":\"track\",\"event\":\"Fault Injected\",\"userId\":\"" + userId + "\",\"messageId\":\"" + messageId
                + "\",\"timestamp\":\"2024-05-01T12:00:00Z\"}";
    }
}
