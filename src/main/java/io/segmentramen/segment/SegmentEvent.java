package io.segmentramen.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.json.TextRepair;
import io.segmentramen.outcome.Rejection;

import java.util.Set;

/**
 * One Segment event as it arrived: its position in the request, its JSON (read-only: a batch's
 * envelope {@code context}/{@code integrations} nodes are shared between its events, not copied)
 * and its size in bytes on the wire, envelope included (the 32 KB limit is Segment's, measured on
 * the raw bytes).
 *
 * @param unreadable   why pass 2 could not decode this element ({@code json} is then null), or null
 * @param repairedText dotted paths (two levels deep at most) of strings whose unpaired surrogates
 *                     were replaced by U+FFFD when parsed
 */
public record SegmentEvent(int index, JsonNode json, int rawBytes, Rejection unreadable, Set<String> repairedText) {

    public SegmentEvent(int index, JsonNode json, int rawBytes) {
        this(index, json, rawBytes, null, Set.of());
    }

    /** True when a string at this path (e.g. {@code traits.name}) held an unpaired surrogate. */
    public boolean textRepaired(String path) {
        return repairedText.contains(path);
    }

    /** More strings were repaired than {@link TextRepair} records paths for: any path may have been. */
    public boolean textRepairedBeyondRecord() {
        return repairedText.contains(TextRepair.BEYOND_RECORD);
    }

    public boolean isObject() {
        return json != null && json.isObject();
    }

    public ObjectNode object() {
        return (ObjectNode) json;
    }

    public String type() {
        return isObject() ? Json.text(json.get("type")) : null;
    }

    /** The type, when Segment has one by that name; null otherwise. */
    public EventType eventType() {
        return EventType.of(type());
    }

    /** An empty {@code messageId} is no id: events without one must not share one de-duplication key. */
    public String messageId() {
        return isObject() ? nonEmpty(Json.text(json.get("messageId"))) : null;
    }

    public String userId() {
        return nonEmpty(Json.text(field("userId")));
    }

    public String anonymousId() {
        return nonEmpty(Json.text(field("anonymousId")));
    }

    /** The key that orders a visitor's events: userId, else anonymousId. */
    public String visitorKey() {
        String userId = userId();
        if (userId != null) {
            return "u:" + userId;
        }
        String anonymousId = anonymousId();
        return anonymousId != null ? "a:" + anonymousId : "i:" + index;
    }

    public JsonNode field(String name) {
        return isObject() ? json.get(name) : null;
    }

    /** {@code integrations.Ramen}, when it is an object of options (docs/CONTRACT.md §3). */
    public ObjectNode ramenOptions() {
        JsonNode integrations = field("integrations");
        if (integrations != null && integrations.get("Ramen") instanceof ObjectNode options) {
            return options;
        }
        return null;
    }

    static String nonEmpty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
