package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.segmentramen.json.Json;
import io.segmentramen.mapping.MappingTable.Row;
import io.segmentramen.mapping.MappingTable.Table;
import io.segmentramen.mapping.MappingTable.Type;
import io.segmentramen.mapping.Warnings.Code;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.segment.EventType;
import io.segmentramen.segment.SegmentEvent;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Segment event → RamenJS settings object (docs/CONTRACT.md §3): the {@link MappingTable}'s rows, and the rules of
 * their own in plain Java. Pure: the same event and organization always give the same payload; signing is added
 * later, per delivery attempt.
 */
public final class RamenMapper {

    private static final String PARTNER = "segment.com";

    /** docs/CONTRACT.md §3, bounded output: a mapped payload above this is rejected {@code mapped_payload_too_large}. */
    public static final int MAX_PAYLOAD_BYTES = 32_768;

    /** What a sender's Secure Mode hash covers (docs/CONTRACT.md §4: id, email, name); a group's traits.name is its company's. */
    private static final List<String> SIGNED = List.of("userId", "traits.email", "traits.name");

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

    /**
     * @param nameAsGiven true when a sender's Secure Mode hash is forwarded: it covers {@code traits.name} and
     *                    {@code traits.email} exactly, so neither the name fallback nor trimming may be applied
     */
    public MappingResult map(SegmentEvent event, boolean nameAsGiven) {
        return map(event, nameAsGiven, new Warnings());
    }

    /** @param warnings collects this event's warnings (the caller may add its own) */
    public MappingResult map(SegmentEvent event, boolean nameAsGiven, Warnings warnings) {
        Mapping mapping = new Mapping(event.json(), nameAsGiven, warnings);
        ObjectNode payload = mapping.payload.put("organization_id", organizationId).put("_partner", PARTNER);
        mapping.fields(MappingTable.EVENT);
        // Replayed history: Ramen's own importer marked it so that old data is not taken for new activity.
        JsonNode sentAt = payload.get("sent_at");
        ObjectNode options = event.ramenOptions();
        if (importRule.isImport(sentAt == null ? OptionalLong.empty() : OptionalLong.of(sentAt.longValue()),
                options == null ? null : options.get("import"), clock.instant())) {
            payload.put("import", true);
        }
        mapping.fields(MappingTable.USER);
        if (!payload.has("user")) {
            mapping.fields(MappingTable.ANONYMOUS);
        }
        switch (event.eventType()) {
            case IDENTIFY -> mapping.customer();
            case GROUP -> mapping.company(MappingTable.GROUP, event.field("groupId"), Set.of());
            case TRACK -> mapping.fields(MappingTable.TRACK).audience();
            case PAGE -> mapping.fields(MappingTable.PAGE).object(payload, "page"); // sent even without a URL
            default -> throw new IllegalArgumentException("not a mappable type: " + event.type());
        }
        if (mapping.rejection == null && nameAsGiven && payload.has("user")) {
            mapping.rejection = unsignable(event);
        }
        if (mapping.rejection != null) {
            return new MappingResult.Rejected(mapping.rejection, warnings.list());
        }
        if (options != null) {
            mapping.fields(MappingTable.OPTIONS).userOptions(options.get("user"));
        }
        // Written once: the size checked here is of the bytes Ramen receives (signing adds to them).
        RamenPayload written = RamenPayload.of(payload);
        long bytes = written.bytes();
        if (bytes > MAX_PAYLOAD_BYTES) {
            return new MappingResult.Rejected(new Rejection(Reason.MAPPED_PAYLOAD_TOO_LARGE, "the Ramen payload mapped from this event is " + bytes
                    + " bytes, above the " + MAX_PAYLOAD_BYTES + "-byte limit (flattened traits repeat their parents' keys)"), warnings.list());
        }
        return new MappingResult.Mapped(payload, written, warnings.list());
    }

    /** A forwarded hash cannot match a signed field whose text was repaired (an unpaired surrogate sent as U+FFFD). */
    private static Rejection unsignable(SegmentEvent event) {
        List<String> signed = event.eventType() == EventType.IDENTIFY ? SIGNED : SIGNED.subList(0, 1);
        String unsignable = event.textRepairedBeyondRecord()
                ? "too many strings held an unpaired UTF-16 surrogate to tell whether " + String.join(", ", signed) + " did"
                : signed.stream().filter(event::textRepaired).findFirst().map(field -> field + " held an unpaired UTF-16 surrogate").orElse(null);
        return unsignable == null ? null : new Rejection(Reason.UNSIGNABLE_TEXT, unsignable + ", sent as U+FFFD;"
                + " the sender's integrations.Ramen.auth_hash cannot match it: sign with RAMEN_SECRET_KEY or fix the text");
    }

    /** One event being mapped. */
    private static final class Mapping {

        private final JsonNode event;
        private final ObjectNode payload = Json.object();
        private final boolean asGiven;
        private final Warnings warnings;
        private Rejection rejection;

        Mapping(JsonNode event, boolean asGiven, Warnings warnings) {
            this.event = event;
            this.asGiven = asGiven;
            this.warnings = warnings;
        }

        /** Writes every row of the table that finds a value; stops at a rejection. */
        Mapping fields(Table table) {
            JsonNode from = at(event, table.from());
            for (Row row : table.rows()) {
                JsonNode value = row.type() == Type.NAME ? name(row, from, table) : read(row, row.paths(), from, table);
                if (rejection != null) {
                    return this;
                }
                if (value != null) {
                    (table.into().isEmpty() ? payload : object(payload, table.into())).set(row.field(), value);
                }
            }
            return this;
        }

        /** The first of {@code paths} that holds a value of the row's type; a wrong value does what {@link Type} says. */
        private JsonNode read(Row row, List<String> paths, JsonNode from, Table table) {
            JsonNode found = null;
            String decided = null; // the path whose value decided the field: a later path is read only by a TIME row, to name it
            for (String path : paths) {
                JsonNode value = at(from, path);
                String named = table.named(path);
                if (value == null) {
                    continue;
                } else if (decided != null) {
                    String first = decided;
                    if (!value.isNull()) {
                        warnings.add(Code.CREATED_AT_IGNORED, () -> named + " ignored: " + first + " already gives " + row.field());
                    }
                    continue;
                }
                Type.Converted converted = row.type().convert(value, asGiven);
                String wrong = converted.wrong();
                if (converted.value() != null) {
                    found = converted.value();
                    decided = named;
                } else if (wrong != null && row.type() == Type.EMAIL) {
                    rejection = new Rejection(Reason.INVALID_EMAIL, named + " " + wrong);
                    return null;
                } else if (wrong != null && row.type().dropped != null) {
                    String dropped = row.type() == Type.EVENT_TIME ? row.field() + " omitted" : "dropped";
                    warnings.add(row.type().dropped, () -> named + " " + wrong + "; " + dropped);
                    decided = named;
                } else if (wrong != null && table.readsTraits() && !Json.isNonFinite(value)) { // a non-finite one: nonFinite
                    warnings.add(Code.WRONG_TYPE, () -> named + " " + wrong + "; not sent");
                }
                if (decided != null && row.type() != Type.TIME) {
                    break;
                }
            }
            return found;
        }

        /** The customer's name ({@link Type#NAME}): the first path; else the others' text joined with a space; else the email. */
        private JsonNode name(Row row, JsonNode traits, Table table) {
            JsonNode name = read(row, row.paths().subList(0, 1), traits, table);
            if (name != null || asGiven) {
                return name;
            }
            StringBuilder joined = new StringBuilder();
            for (String path : row.paths().subList(1, row.paths().size())) {
                JsonNode part = at(traits, path);
                String text = Type.text(part);
                if (part != null && !part.isNull() && text == null && !Json.isNonFinite(part)) { // read, so not a custom trait either
                    warnings.add(Code.WRONG_TYPE, () -> table.named(path) + " is not a string or a number; not sent");
                }
                joined.append(' ').append(text == null ? "" : text.trim());
            }
            String parts = joined.toString().trim();
            return parts.isBlank() ? payload.path("user").get("email") : TextNode.valueOf(parts);
        }

        /** identify: the customer, and its company when {@code traits.company} is an object. */
        void customer() {
            ObjectNode user = object(payload, "user");
            fields(MappingTable.EMAIL);
            if (rejection != null) {
                return;
            }
            JsonNode traits = at(event, "traits");
            Set<String> read = new HashSet<>(MappingTable.EMAIL.keys());
            read.addAll(MappingTable.CUSTOMER.keys());
            nonFinite(traits, "traits", read);
            fields(MappingTable.CUSTOMER);
            JsonNode company = at(traits, "company");
            if (company != null && company.isObject()) {
                if (company(MappingTable.CUSTOMER_COMPANY, company.get("id"), Set.of("id"))) {
                    read.add("company");
                } else {
                    warnings.add(Code.COMPANY_WITHOUT_ID, "traits.company has no id; flattened into user traits");
                }
            }
            customTraits(traits, "traits", read, user);
        }

        /**
         * A company: none without an id (an {@link Type#ID}). False when there is none.
         *
         * @param alsoRead trait keys read besides the table's rows (its id), not sent among its custom traits
         */
        boolean company(Table table, JsonNode id, Set<String> alsoRead) {
            JsonNode companyId = id == null ? null : Type.ID.convert(id, false).value();
            if (companyId == null) {
                return false;
            }
            ObjectNode company = object(payload, "company").set("id", companyId);
            JsonNode traits = at(event, table.from());
            Set<String> read = new HashSet<>(table.keys());
            read.addAll(alsoRead);
            nonFinite(traits, table.from(), read);
            fields(table);
            customTraits(traits, table.from(), read, company);
            return true;
        }

        /** Every trait no row reads, converted ({@link TraitConverter}), as {@code traits} of the customer or company. */
        private void customTraits(JsonNode traits, String named, Set<String> read, ObjectNode into) {
            ObjectNode converted = TraitConverter.convert(traits, read, named, warnings);
            if (!converted.isEmpty()) {
                into.set("traits", converted);
            }
        }

        /** A trait a row reads (name, url, ...) that is a non-finite number is not sent, and said so, in the traits' order. */
        private void nonFinite(JsonNode traits, String named, Set<String> read) {
            if (traits != null && traits.isObject()) {
                traits.fields().forEachRemaining(trait -> {
                    if (read.contains(trait.getKey()) && Json.isNonFinite(trait.getValue())) {
                        warnings.add(Code.NOT_FINITE, named + "." + trait.getKey() + " is not a finite number; dropped");
                    }
                });
            }
        }

        /** track: Engage's {@code Audience Entered} / {@code Audience Exited} is the user trait {@code <audience_key>: true|false}. */
        void audience() {
            String name = event.path("event").asText();
            if (!name.equals("Audience Entered") && !name.equals("Audience Exited")) {
                return;
            }
            String key = Type.text(at(event, "properties.audience_key"));
            ObjectNode user = (ObjectNode) payload.get("user");
            if (key == null || key.isEmpty()) {
                warnings.add(Code.AUDIENCE_NOT_SENT, "properties.audience_key is missing; audience membership not sent");
            } else if (user == null) {
                warnings.add(Code.AUDIENCE_NOT_SENT, "audience trait dropped: an anonymous visitor has no customer to hold it");
            } else if (key.length() > TraitConverter.MAX_KEY_LENGTH) {
                warnings.add(Code.KEY_TOO_LONG, () -> "properties.audience_key becomes a key longer than "
                        + TraitConverter.MAX_KEY_LENGTH + " characters; audience membership not sent");
            } else {
                user.putObject("traits").set(TraitConverter.safeKey(key), BooleanNode.valueOf(name.equals("Audience Entered")));
            }
        }

        /** {@code integrations.Ramen.user}: options of the customer, ignored for an anonymous visitor. */
        void userOptions(JsonNode options) {
            if (options != null && options.isObject() && !payload.has("user")) {
                warnings.add(Code.OPTION_DROPPED, "integrations.Ramen.user ignored: an anonymous visitor has no customer");
            } else if (options != null && options.isObject()) {
                fields(MappingTable.USER_OPTIONS);
            } else if (options != null && !options.isNull()) {
                warnings.add(Code.OPTION_DROPPED, "integrations.Ramen.user is not an object; dropped");
            }
        }

        private static ObjectNode object(ObjectNode parent, String key) {
            return parent.get(key) instanceof ObjectNode existing ? existing : parent.putObject(key);
        }

        /** The value at a dotted path ({@code ""}: the node itself), or null. */
        private static JsonNode at(JsonNode node, String path) {
            JsonNode value = node;
            for (String key : path.isEmpty() ? new String[0] : path.split("\\.")) {
                value = value == null ? null : value.get(key);
            }
            return value;
        }
    }
}
