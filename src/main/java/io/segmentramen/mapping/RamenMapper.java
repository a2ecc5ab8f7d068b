package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.segment.Times;
import io.segmentramen.segment.SegmentEvent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Segment event → RamenJS settings object (SPEC §4). Pure: the same event and organization always
 * give the same payload; signing is added later, per delivery attempt.
 */
public final class RamenMapper {

    private static final String PARTNER = "segment.com";

    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final List<String> CREATED_KEYS = List.of("created_at", "createdAt", "created");
    private static final Set<String> USER_CONSUMED = Set.of("email", "name", "firstName", "lastName", "created_at", "createdAt", "created");
    private static final Set<String> COMPANY_CONSUMED = Set.of("id", "name", "url", "website", "created_at", "createdAt", "created");
    private static final Set<String> GROUP_CONSUMED = Set.of("name", "url", "website", "created_at", "createdAt", "created");

    /** SPEC §13: a mapped payload above this is rejected {@code mapped_payload_too_large}. */
    public static final int MAX_PAYLOAD_BYTES = 32_768;
    /** The event fields that a sender's Secure Mode hash covers: user.id, user.email, user.name. */
    private static final List<String> FORWARDED_HASH_FIELDS = List.of("userId", "traits.email", "traits.name");

    private final String organizationId;
    private final ImportRule importRule;
    private final Clock clock;

    /**
     * @param importRule which events are replayed history ({@code import: true})
     * @param clock      the time the import rule judges an event's age against
     */
    public RamenMapper(String organizationId, ImportRule importRule, Clock clock) {
        this.organizationId = organizationId;
        this.importRule = importRule;
        this.clock = clock;
    }

    /** Without the age rule ({@code RAMEN_IMPORT_AFTER=off}): only a sender's own import flag counts. */
    public RamenMapper(String organizationId) {
        this(organizationId, ImportRule.parse("off"), Clock.systemUTC());
    }

    /**
     * @param nameAsGiven true when a sender's Secure Mode hash is forwarded: the hash covers
     *                    {@code traits.name} and {@code traits.email} exactly, so neither the name
     *                    fallback nor trimming may be applied
     */
    public MappingResult map(SegmentEvent event, boolean nameAsGiven) {
        return map(event, nameAsGiven, new Warnings());
    }

    /** @param warnings collects this event's warnings (the caller may add its own) */
    public MappingResult map(SegmentEvent event, boolean nameAsGiven, Warnings warnings) {
        ObjectNode payload = Json.object();
        payload.put("organization_id", organizationId);
        payload.put("_partner", PARTNER);
        String messageId = event.messageId();
        if (messageId != null) {
            payload.put("message_id", messageId);
        }
        JsonNode timestamp = event.field("timestamp");
        if (timestamp != null && !timestamp.isNull()) {
            OptionalLong sentAt = Times.toEpochSeconds(timestamp);
            if (sentAt.isPresent()) {
                payload.put("sent_at", sentAt.getAsLong());
            } else {
                warnings.add(Warnings.Code.TIMESTAMP_NOT_A_TIME, "timestamp is not an ISO-8601 time; sent_at omitted");
            }
        }
        ObjectNode options = event.ramenOptions();
        if (importRule.isImport(timestamp, options == null ? null : options.get("import"), clock.instant())) {
            payload.put("import", true);
        }
        String userId = event.userId();
        ObjectNode user = null;
        if (userId != null) {
            user = payload.putObject("user");
            user.put("id", userId);
        } else {
            payload.put("anonymous_id", event.anonymousId());
        }
        Rejection rejection = switch (event.eventType()) {
            case IDENTIFY -> identify(event, user, payload, nameAsGiven, warnings);
            case GROUP -> {
                payload.set("company", company(event.field("groupId"), event.field("traits"), GROUP_CONSUMED, "traits", warnings));
                yield null;
            }
            case TRACK -> {
                track(event, user, payload, warnings);
                yield null;
            }
            case PAGE -> {
                page(event, payload);
                yield null;
            }
            default -> throw new IllegalArgumentException("not a mappable type: " + event.type());
        };
        if (rejection != null) {
            return new MappingResult.Rejected(rejection, warnings.list());
        }
        if (nameAsGiven && userId != null) {
            for (String field : FORWARDED_HASH_FIELDS) {
                if (event.textRepaired(field)) {
                    return new MappingResult.Rejected(new Rejection("unsignable_text", field + " held an unpaired UTF-16 surrogate, sent as U+FFFD;"
                            + " the sender's integrations.Ramen.auth_hash cannot match it: sign with RAMEN_SECRET_KEY or fix the text"),
                            warnings.list());
                }
            }
        }
        applyOptions(event.ramenOptions(), user, payload, warnings);
        long bytes = Json.byteCount(payload);
        if (bytes > MAX_PAYLOAD_BYTES) {
            return new MappingResult.Rejected(new Rejection("mapped_payload_too_large", "the Ramen payload mapped from this event is " + bytes
                    + " bytes, above the " + MAX_PAYLOAD_BYTES + "-byte limit (flattened traits repeat their parents' keys)"), warnings.list());
        }
        return new MappingResult.Mapped(payload, warnings.list(), bytes);
    }

    /** Returns why the identify cannot be sent, or null. */
    private Rejection identify(SegmentEvent event, ObjectNode user, ObjectNode payload, boolean nameAsGiven, Warnings warnings) {
        JsonNode traits = event.field("traits");
        JsonNode emailNode = traits == null ? null : traits.get("email");
        String email = null;
        if (emailNode != null && !emailNode.isNull()) {
            if (!emailNode.isTextual()) {
                return new Rejection("invalid_email", "traits.email must be a string");
            }
            email = nameAsGiven ? emailNode.asText() : emailNode.asText().trim();
            if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
                return new Rejection("invalid_email", "traits.email is not a valid email address");
            }
        }
        if (email != null && !email.isEmpty()) {
            user.put("email", email);
        }
        warnNonFinite(traits, USER_CONSUMED, "traits", warnings);
        String name = nameAsGiven ? text(traits, "name") : displayName(traits, email);
        if (name != null && (nameAsGiven || !name.isEmpty())) {
            user.put("name", name);
        }
        putCreatedAt(user, traits, "traits", warnings);
        Set<String> consumed = new java.util.HashSet<>(USER_CONSUMED);
        JsonNode company = traits == null ? null : traits.get("company");
        if (company != null && company.isObject()) {
            JsonNode companyId = company.get("id");
            if (companyId != null && Json.text(companyId) != null && !Json.text(companyId).isEmpty()) {
                consumed.add("company");
                payload.set("company", company(companyId, company, COMPANY_CONSUMED, "traits.company", warnings));
            } else {
                warnings.add(Warnings.Code.COMPANY_WITHOUT_ID, "traits.company has no id; flattened into user traits");
            }
        }
        ObjectNode converted = TraitConverter.convert(traits, consumed, "traits", warnings);
        if (!converted.isEmpty()) {
            user.set("traits", converted);
        }
        return null;
    }

    private static String displayName(JsonNode traits, String email) {
        String name = text(traits, "name");
        if (name != null && !name.isBlank()) {
            return name;
        }
        String first = text(traits, "firstName");
        String last = text(traits, "lastName");
        String joined = ((first == null ? "" : first.trim()) + " " + (last == null ? "" : last.trim())).trim();
        if (!joined.isEmpty()) {
            return joined;
        }
        return email == null || email.isEmpty() ? null : email;
    }

    private static ObjectNode company(JsonNode id, JsonNode traits, Set<String> consumed, String path, Warnings warnings) {
        ObjectNode company = Json.object();
        warnNonFinite(traits, consumed, path, warnings);
        company.put("id", Json.text(id));
        String name = text(traits, "name");
        if (name != null) {
            company.put("name", name);
        }
        String url = text(traits, "url");
        if (url == null || url.isEmpty()) {
            url = text(traits, "website");
        }
        if (url != null && !url.isEmpty()) {
            company.put("url", url);
        }
        putCreatedAt(company, traits, path, warnings);
        ObjectNode converted = TraitConverter.convert(traits, consumed, path, warnings);
        if (!converted.isEmpty()) {
            company.set("traits", converted);
        }
        return company;
    }

    private static void putCreatedAt(ObjectNode target, JsonNode traits, String path, Warnings warnings) {
        if (traits == null) {
            return;
        }
        String used = null;
        for (String key : CREATED_KEYS) {
            JsonNode value = traits.get(key);
            if (value == null || value.isNull()) {
                continue;
            }
            if (used != null) {
                String first = used;
                warnings.add(Warnings.Code.CREATED_AT_IGNORED, () -> path + "." + key + " ignored: " + path + "." + first + " already gives created_at");
                continue;
            }
            used = key;
            OptionalLong seconds = Times.toEpochSeconds(value);
            if (seconds.isPresent()) {
                target.set("created_at", LongNode.valueOf(seconds.getAsLong()));
            } else {
                warnings.add(Warnings.Code.NOT_A_TIME, () -> path + "." + key + " is not a time (ISO-8601, epoch seconds or milliseconds); dropped");
            }
        }
    }

    private static void track(SegmentEvent event, ObjectNode user, ObjectNode payload, Warnings warnings) {
        String name = event.field("event").asText();
        payload.putObject("event").put("name", name);
        if (!name.equals("Audience Entered") && !name.equals("Audience Exited")) {
            return;
        }
        String audienceKey = text(event.field("properties"), "audience_key");
        if (audienceKey == null || audienceKey.isEmpty()) {
            warnings.add(Warnings.Code.AUDIENCE_NOT_SENT, "properties.audience_key is missing; audience membership not sent");
        } else if (user == null) {
            warnings.add(Warnings.Code.AUDIENCE_NOT_SENT, "audience trait dropped: an anonymous visitor has no customer to hold it");
        } else {
            user.putObject("traits").set(TraitConverter.safeKey(audienceKey), BooleanNode.valueOf(name.equals("Audience Entered")));
        }
    }

    private static void page(SegmentEvent event, ObjectNode payload) {
        ObjectNode page = payload.putObject("page");
        String url = text(event.field("context") == null ? null : event.field("context").get("page"), "url");
        if (url == null || url.isEmpty()) {
            url = text(event.field("properties"), "url");
        }
        if (url != null && !url.isEmpty()) {
            page.put("url", url);
        }
    }

    private static void applyOptions(ObjectNode options, ObjectNode user, ObjectNode payload, Warnings warnings) {
        if (options == null) {
            return;
        }
        JsonNode environment = options.get("environment");
        if (environment != null && !environment.isNull()) {
            if (environment.isTextual()) {
                payload.put("environment", environment.asText());
            } else {
                warnings.add(Warnings.Code.OPTION_DROPPED, "integrations.Ramen.environment is not a string; dropped");
            }
        }
        JsonNode customLinks = options.get("custom_links");
        if (customLinks != null && !customLinks.isNull()) {
            if (customLinks.isArray()) {
                payload.set("custom_links", customLinks.deepCopy());
            } else {
                warnings.add(Warnings.Code.OPTION_DROPPED, "integrations.Ramen.custom_links is not an array; dropped");
            }
        }
        JsonNode userOptions = options.get("user");
        if (userOptions == null || !userOptions.isObject()) {
            return;
        }
        if (user == null) {
            warnings.add(Warnings.Code.OPTION_DROPPED, "integrations.Ramen.user ignored: an anonymous visitor has no customer");
            return;
        }
        JsonNode labels = userOptions.get("labels");
        if (labels != null) {
            boolean allStrings = labels.isArray();
            for (JsonNode label : labels) {
                allStrings &= label.isTextual();
            }
            if (allStrings) {
                user.set("labels", labels.deepCopy());
            } else {
                warnings.add(Warnings.Code.OPTION_DROPPED, "integrations.Ramen.user.labels is not an array of strings; dropped");
            }
        }
        JsonNode value = userOptions.get("value");
        if (value != null) {
            if (value.isNumber() && !Json.isNonFinite(value)) {
                user.set("value", value);
            } else {
                warnings.add(Warnings.Code.OPTION_DROPPED, "integrations.Ramen.user.value is not a finite number; dropped");
            }
        }
    }

    private static String text(JsonNode object, String field) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode value = object.get(field);
        return value == null || !(value.isTextual() || value.isNumber()) || Json.isNonFinite(value) ? null : value.asText();
    }

    /** A consumed trait (name, url, ...) that is not a finite number is left out, and said so. */
    private static void warnNonFinite(JsonNode traits, Set<String> consumed, String path, Warnings warnings) {
        if (traits == null || !traits.isObject()) {
            return;
        }
        traits.fields().forEachRemaining(field -> {
            if (consumed.contains(field.getKey()) && Json.isNonFinite(field.getValue())) {
                warnings.add(Warnings.Code.NOT_FINITE, path + "." + field.getKey() + " is not a finite number; dropped");
            }
        });
    }
}
