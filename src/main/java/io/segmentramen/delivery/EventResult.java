package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;

import java.util.List;

/** One line of the report: what became of the event at {@code index}. */
public record EventResult(
        int index,
        String messageId,
        String type,
        String status,
        String reason,
        String message,
        int attempts,
        Integer ramenStatus,
        List<String> warnings) {

    /**
     * Written by hand rather than by Jackson's reflection: the first reflective serialisation costs a
     * native executable's cold start several milliseconds, and nothing needs registering for reflection.
     */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("index", index);
        putIfPresent(json, "messageId", messageId);
        putIfPresent(json, "type", type);
        json.put("status", status);
        putIfPresent(json, "reason", reason);
        putIfPresent(json, "message", message);
        json.put("attempts", attempts);
        if (ramenStatus != null) {
            json.put("ramenStatus", ramenStatus);
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

    static EventResult of(int index, String messageId, String type, EventOutcome outcome, List<String> warnings) {
        if (outcome instanceof EventOutcome.Delivered d) {
            return new EventResult(index, messageId, type, d.status(), null, null, d.attempts(), d.ramenStatus(), warnings);
        }
        if (outcome instanceof EventOutcome.Skipped s) {
            return new EventResult(index, messageId, type, s.status(), s.reason(), s.message(), 0, null, warnings);
        }
        if (outcome instanceof EventOutcome.Rejected r) {
            return new EventResult(index, messageId, type, r.status(), r.reason(), r.message(), r.attempts(), r.ramenStatus(), warnings);
        }
        EventOutcome.Failed f = (EventOutcome.Failed) outcome;
        return new EventResult(index, messageId, type, f.status(), f.reason(), f.message(), f.attempts(), f.ramenStatus(), warnings);
    }
}
