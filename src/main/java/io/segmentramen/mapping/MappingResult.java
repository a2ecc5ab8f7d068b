package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.outcome.Rejection;

import java.util.List;

/** The Ramen payload of one event, or why the values it would send are unacceptable. */
public sealed interface MappingResult {

    /**
     * @param payload the payload as a tree, for what reads it before delivery (the signing plan, a dry run)
     * @param ramen   the payload's JSON and what signing needs of it (docs/CONTRACT.md §3, bounded output: at most
     *                {@link RamenMapper#MAX_PAYLOAD_BYTES}), which is all that waits for delivery
     */
    record Mapped(ObjectNode payload, RamenPayload ramen, List<String> warnings) implements MappingResult {

        /** The payload's size as JSON. */
        public long bytes() {
            return ramen.bytes();
        }
    }

    record Rejected(Rejection rejection, List<String> warnings) implements MappingResult {
    }
}
