package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.outcome.Rejection;

import java.util.List;

/** The Ramen payload of one event, or why the values it would send are unacceptable. */
public sealed interface MappingResult {

    /** @param bytes the payload's size as JSON (docs/CONTRACT.md §3, bounded output: at most {@link RamenMapper#MAX_PAYLOAD_BYTES}) */
    record Mapped(ObjectNode payload, List<String> warnings, long bytes) implements MappingResult {
    }

    record Rejected(Rejection rejection, List<String> warnings) implements MappingResult {
    }
}
