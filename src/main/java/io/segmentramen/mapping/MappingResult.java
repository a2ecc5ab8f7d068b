package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.outcome.Rejection;

import java.util.List;

/** The Ramen payload of one event, or why the values it would send are unacceptable. */
public sealed interface MappingResult {

    /** @param ramen the payload and its JSON (docs/CONTRACT.md §3, bounded output: at most {@link RamenMapper#MAX_PAYLOAD_BYTES}) */
    record Mapped(RamenPayload ramen, List<String> warnings) implements MappingResult {

        public ObjectNode payload() {
            return ramen.tree();
        }

        /** The payload's size as JSON. */
        public long bytes() {
            return ramen.bytes();
        }
    }

    record Rejected(Rejection rejection, List<String> warnings) implements MappingResult {
    }
}
