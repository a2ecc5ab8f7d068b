package io.segmentramen.segment;

import java.util.List;

/**
 * The events of one request and how they came: a single event, a JSON array (Webhooks Actions
 * batch) or a {@code {"batch": [...]}} document (Segment HTTP API batch).
 *
 * @param signedBytes the bytes Segment's X-Signature covers: the whole body for a single event,
 *                    the raw first element for an array
 */
public record ParsedRequest(Shape shape, List<SegmentEvent> events, byte[] signedBytes) {

    public enum Shape { SINGLE, ARRAY, BATCH }

    public boolean isSingle() {
        return shape == Shape.SINGLE;
    }
}
