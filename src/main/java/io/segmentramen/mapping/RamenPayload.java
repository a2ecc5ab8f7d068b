package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;

/**
 * A mapped Ramen payload as JSON, written once: the mapper writes it to check the size limit
 * (docs/CONTRACT.md §3, bounded output), and those bytes are what Ramen receives — signing adds its
 * two fields to them, the client sends them. Of the tree it keeps only what signing reads (the
 * three {@code user} fields the hash covers), so that a batch waiting for delivery holds one array
 * per event rather than a tree of small objects for the garbage collector to copy.
 *
 * @param json      the payload as {@link Json#bytes} writes it
 * @param user      the {@code user} fields Secure Mode's hash covers
 * @param rewritten the whole tree, kept only when it already has a field signing writes
 *                  ({@code timestamp}, {@code auth_hash}; the mapper writes neither): such a payload is
 *                  written whole again when signed, since replacing a field keeps its place; else null
 */
public record RamenPayload(byte[] json, User user, ObjectNode rewritten) {

    /** The fields signing writes. */
    public static final String TIMESTAMP = "timestamp";
    public static final String AUTH_HASH = "auth_hash";

    /** {@code user.email}, {@code user.id}, {@code user.name} as text ({@link Json#text}), null where absent. */
    public record User(String email, String id, String name) {

        public static User of(ObjectNode payload) {
            JsonNode user = payload.path("user");
            return new User(Json.text(user.get("email")), Json.text(user.get("id")), Json.text(user.get("name")));
        }
    }

    public static RamenPayload of(ObjectNode tree) {
        return new RamenPayload(Json.bytes(tree), User.of(tree), tree.has(TIMESTAMP) || tree.has(AUTH_HASH) ? tree : null);
    }

    /** Its size as JSON, in bytes. */
    public long bytes() {
        return json.length;
    }
}
