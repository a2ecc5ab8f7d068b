package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** The Ramen payload of one event, or why the values it would send are unacceptable. */
public sealed interface MappingResult {

    record Mapped(ObjectNode payload, List<String> warnings) implements MappingResult {
    }

    record Rejected(String reason, String message, List<String> warnings) implements MappingResult {
    }
}
