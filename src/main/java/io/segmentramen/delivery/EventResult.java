package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.outcome.Status;

import java.util.List;

/**
 * One line of the report: what became of the event at {@code index}.
 *
 * @param type      the event's type as it was sent (an unknown one included), or null
 * @param latencyMs its delivery time, all attempts together (0 when Ramen was never asked), as its outcome line states it
 */
public record EventResult(int index, String messageId, String type, EventOutcome outcome, List<String> warnings, long latencyMs) {

    public Status status() {
        return outcome.status();
    }

    /** The reason code as the report writes it; null when delivered. */
    public String reason() {
        Rejection rejection = outcome.rejection();
        return rejection == null ? null : rejection.code();
    }

    /** Why the event was not delivered; null when it was. */
    public Reason rejectionReason() {
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

    /** Where a summarised result cuts a text (its type, its message). */
    static final int SUMMARY_CHARS = 100;

    /** How much of a result a report carries: all of it, unless the whole report would be too large ({@link Report#MAX_BYTES}). */
    public enum Detail {
        FULL("every result whole"),
        /** Texts cut to {@link #SUMMARY_CHARS} characters, the warnings counted in one. */
        SUMMARISED("results with their warnings counted and texts cut to " + SUMMARY_CHARS + " characters"),
        /** Index, status and reason: always small, whatever the event held. */
        MINIMAL("only each result's index, status and reason");

        private final String description;

        Detail(String description) {
            this.description = description;
        }

        String describe() {
            return description;
        }
    }

    /**
     * Written by hand rather than by Jackson's reflection: the first reflective serialisation costs a
     * native executable's cold start several milliseconds, and nothing needs registering for reflection.
     */
    public ObjectNode toJson(Detail detail) {
        ObjectNode json = Json.object();
        json.put("index", index);
        if (detail != Detail.MINIMAL) {
            putIfPresent(json, "messageId", messageId);
            putIfPresent(json, "type", cut(type, detail));
        }
        json.put("status", status().wireName());
        putIfPresent(json, "reason", reason());
        if (detail == Detail.MINIMAL) {
            return json;
        }
        putIfPresent(json, "message", cut(message(), detail));
        json.put("attempts", attempts());
        if (ramenStatus() != null) {
            json.put("ramenStatus", ramenStatus());
        }
        ArrayNode warningList = json.putArray("warnings");
        if (detail == Detail.FULL) {
            warnings.forEach(warningList::add);
        } else if (!warnings.isEmpty()) {
            warningList.add(warnings.size() + (warnings.size() == 1 ? " warning" : " warnings")
                    + " left out of this report (too large as a whole); this event's log line lists them");
        }
        return json;
    }

    /**
     * Bytes this result can take in a report at full detail, at most: each character of text is at
     * most 6 bytes of JSON (a control character is escaped as six), the rest under 160.
     */
    long upperBound() {
        long chars = length(messageId) + length(type) + length(reason()) + length(message());
        for (String warning : warnings) {
            chars += warning.length() + 1;
        }
        return 160 + 6 * chars;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    private static String cut(String text, Detail detail) {
        return text == null || detail == Detail.FULL || text.length() <= SUMMARY_CHARS
                ? text : text.substring(0, SUMMARY_CHARS) + "…";
    }

    private static void putIfPresent(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
