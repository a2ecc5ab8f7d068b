package io.segmentramen.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.json.Json;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Rejection;

/**
 * The event-level rules of docs/CONTRACT.md §2 that need nothing but the event. Email syntax and Secure Mode
 * are judged after mapping, on the values that would actually be sent.
 */
public final class EventValidator {

    static final int MAX_MESSAGE_ID_LENGTH = 100;
    private static final String UNKNOWN_TYPE_MESSAGE = "type must be one of " + EventType.sourceCalls();

    private static final String[] IDENTITY_FIELDS = {"messageId", "type", "userId", "anonymousId", "groupId", "event"};

    private final int maxEventBytes;

    public EventValidator(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    public Verdict validate(SegmentEvent event) {
        if (event.rawBytes() > maxEventBytes) {
            return new Verdict.Stop(new Rejection(Reason.EVENT_TOO_LARGE,
                    "the event is " + event.rawBytes() + " bytes (with any batch context and integrations it inherits); Segment's limit is "
                            + maxEventBytes + " bytes per event"));
        }
        if (event.unreadable() != null) {
            return new Verdict.Stop(event.unreadable());
        }
        if (!event.isObject()) {
            return new Verdict.Stop(new Rejection(Reason.NOT_AN_OBJECT, "the event must be a JSON object"));
        }
        Verdict nonFinite = checkIdentityNumbers(event);
        if (nonFinite != null) {
            return nonFinite;
        }
        JsonNode typeNode = event.field("type");
        if (typeNode == null || typeNode.isNull() || (typeNode.isTextual() && typeNode.asText().isEmpty())) {
            return new Verdict.Stop(new Rejection(Reason.MISSING_TYPE, "type is missing"));
        }
        EventType type = typeNode.isTextual() ? EventType.of(typeNode.asText()) : null;
        if (type == null) {
            return new Verdict.Stop(new Rejection(Reason.UNKNOWN_TYPE, UNKNOWN_TYPE_MESSAGE));
        }
        Verdict fieldTypes = checkFieldTypes(event);
        if (fieldTypes != null) {
            return fieldTypes;
        }
        String messageId = event.messageId();
        if (messageId != null && messageId.length() > MAX_MESSAGE_ID_LENGTH) {
            return new Verdict.Stop(new Rejection(Reason.MESSAGE_ID_TOO_LONG, "messageId is longer than " + MAX_MESSAGE_ID_LENGTH + " characters"));
        }
        if (type == EventType.DELETE) {
            return new Verdict.Stop(new Rejection(Reason.DELETE_NOT_SUPPORTED,
                    "Ramen has no deletion API; carry out this user-deletion request in Ramen by hand"));
        }
        JsonNode integrations = event.field("integrations");
        if (integrations != null && integrations.path("Ramen").isBoolean() && !integrations.path("Ramen").asBoolean()) {
            return new Verdict.Stop(new Rejection(Reason.INTEGRATION_DISABLED, "integrations.Ramen is false"));
        }
        if (event.userId() == null && event.anonymousId() == null) {
            return new Verdict.Stop(new Rejection(Reason.MISSING_IDENTITY, "userId and anonymousId are both missing or empty"));
        }
        if (!type.mapped()) {
            return new Verdict.Stop(new Rejection(Reason.UNSUPPORTED_TYPE,
                    "Ramen has no equivalent of " + (type == EventType.ALIAS ? "an" : "a") + " " + type.wireName() + " event"));
        }
        if (type == EventType.TRACK && SegmentEvent.nonEmpty(textOrNull(event.field("event"))) == null) {
            return new Verdict.Stop(new Rejection(Reason.MISSING_EVENT_NAME, "event is missing or empty (required for track)"));
        }
        if (type == EventType.GROUP && SegmentEvent.nonEmpty(scalarText(event.field("groupId"))) == null) {
            return new Verdict.Stop(new Rejection(Reason.MISSING_GROUP_ID, "groupId is missing or empty (required for group)"));
        }
        if (type == EventType.IDENTIFY && event.userId() == null) {
            return new Verdict.Stop(new Rejection(Reason.IDENTIFY_WITHOUT_USER_ID, "Ramen ignores an identify without userId"));
        }
        return Verdict.ACCEPT;
    }

    /**
     * A number that is not finite as a double ({@code 1e999}) in a field that identifies
     * something is a rejection naming the field, never a 500.
     */
    private static Verdict checkIdentityNumbers(SegmentEvent event) {
        for (String name : IDENTITY_FIELDS) {
            if (Json.isNonFinite(event.field(name))) {
                return nonFinite(name);
            }
        }
        JsonNode traits = event.field("traits");
        JsonNode company = traits == null ? null : traits.get("company");
        if (company != null && Json.isNonFinite(company.get("id"))) {
            return nonFinite("traits.company.id");
        }
        return null;
    }

    private static Verdict nonFinite(String field) {
        return new Verdict.Stop(new Rejection(Reason.INVALID_FIELD, field + " is not a finite number; send it as a string"));
    }

    /** Fields whose JSON type the mapping relies on: a wrong type is named, never guessed at. */
    private static Verdict checkFieldTypes(SegmentEvent event) {
        for (String name : new String[] {"userId", "anonymousId", "messageId", "groupId"}) {
            JsonNode value = event.field(name);
            if (value != null && !value.isNull() && !value.isTextual() && !value.isIntegralNumber()) {
                return new Verdict.Stop(new Rejection(Reason.INVALID_FIELD, name + " must be a string"));
            }
        }
        for (String name : new String[] {"event", "name", "timestamp"}) {
            JsonNode value = event.field(name);
            if (value != null && !value.isNull() && !value.isTextual()) {
                return new Verdict.Stop(new Rejection(Reason.INVALID_FIELD, name + " must be a string"));
            }
        }
        for (String name : new String[] {"traits", "properties", "context", "integrations"}) {
            JsonNode value = event.field(name);
            if (value != null && !value.isNull() && !value.isObject()) {
                return new Verdict.Stop(new Rejection(Reason.INVALID_FIELD, name + " must be an object"));
            }
        }
        return null;
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static String scalarText(JsonNode node) {
        return node != null && (node.isTextual() || node.isIntegralNumber()) ? node.asText() : null;
    }
}
