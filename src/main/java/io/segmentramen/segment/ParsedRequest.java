package io.segmentramen.segment;

import java.util.List;

/**
 * The events of one request and how they came: a single event, a JSON array (Webhooks Actions
 * batch) or a {@code {"batch": [...]}} document (Segment HTTP API batch). The events are found but
 * not yet decoded (pass 2 of docs/CONTRACT.md §1 happens per event, in the pipeline).
 */
public record ParsedRequest(Shape shape, List<RawEvent> events) {

    public enum Shape { SINGLE, ARRAY, BATCH }

    public boolean isSingle() {
        return shape == Shape.SINGLE;
    }
}
