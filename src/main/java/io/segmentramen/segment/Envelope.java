package io.segmentramen.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.outcome.Rejection;

import java.util.Iterator;
import java.util.Map;

/**
 * The {@code context} and {@code integrations} of a {@code {"batch": [...]}} envelope, decoded once
 * and shared, never copied, by the events they are merged into (docs/CONTRACT.md §1). Their raw bytes count
 * toward each event's 32 KB.
 *
 * @param extraBytes raw bytes of the envelope's context and integrations values
 * @param problem    why the envelope could not be decoded (every event is then rejected with it), or null
 */
public record Envelope(ObjectNode context, ObjectNode integrations, int extraBytes, Rejection problem) {

    public static final Envelope NONE = new Envelope(null, null, 0, null);

    /** Merges under the event's own keys, which win; the event's own object gains references, not copies. */
    void mergeInto(ObjectNode event) {
        mergeUnder(event, "context", context);
        mergeUnder(event, "integrations", integrations);
    }

    private static void mergeUnder(ObjectNode event, String field, ObjectNode shared) {
        if (shared == null) {
            return;
        }
        JsonNode own = event.get(field);
        if (own == null || own.isNull()) {
            event.set(field, shared);
        } else if (own instanceof ObjectNode ownObject) {
            Iterator<Map.Entry<String, JsonNode>> fields = shared.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                if (!ownObject.has(entry.getKey())) {
                    ownObject.set(entry.getKey(), entry.getValue());
                }
            }
        }
    }
}
