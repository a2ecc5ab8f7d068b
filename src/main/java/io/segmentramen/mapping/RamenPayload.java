package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;

/**
 * A mapped Ramen payload and its JSON, written once: the mapper writes it to check the size limit
 * (docs/CONTRACT.md §3, bounded output), and those bytes are what Ramen receives — signing adds its
 * two fields to them, the client sends them. The tree stays for what signing reads ({@code user}).
 *
 * @param tree the payload; never changed once mapped
 * @param json {@code tree} as {@link Json#bytes} writes it
 */
public record RamenPayload(ObjectNode tree, byte[] json) {

    public static RamenPayload of(ObjectNode tree) {
        return new RamenPayload(tree, Json.bytes(tree));
    }

    /** Its size as JSON, in bytes. */
    public long bytes() {
        return json.length;
    }
}
