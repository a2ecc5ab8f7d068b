package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.outcome.Status;

import java.util.List;

/**
 * One line of the report: what became of the event at {@code index}.
 *
 * @param type the event's type as it was sent (an unknown one included), or null
 */
public record EventResult(int index, String messageId, String type, EventOutcome outcome, List<String> warnings) {

    public Status status() {
        return outcome.status();
    }

    public String reason() {
        Rejection rejection = outcome.rejection();
        return rejection == null ? null : rejection.reason();
    }

    public String message() {
        Rejection rejection = outcome.rejection();
        return rejection == null ? null : rejection.message();
    }

    public int attempts() {
        return outcome.attempts();
    }

    public Integer ramenStatus() {
        return outcome.ramenStatus();
    }

    /**
     * Written by hand rather than by Jackson's reflection: the first reflective serialisation costs a
     * native executable's cold start several milliseconds, and nothing needs registering for reflection.
     */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("index", index);
        putIfPresent(json, "messageId", messageId);
        putIfPresent(json, "type", type);
        json.put("status", status().wireName());
        putIfPresent(json, "reason", reason());
        putIfPresent(json, "message", message());
        json.put("attempts", attempts());
        if (ramenStatus() != null) {
            json.put("ramenStatus", ramenStatus());
        }
        ArrayNode warningList = json.putArray("warnings");
        warnings.forEach(warningList::add);
        return json;
    }

    private static void putIfPresent(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
