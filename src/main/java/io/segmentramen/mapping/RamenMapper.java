package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.mapping.Converter.Converted;
import io.segmentramen.mapping.MappingTable.Nested;
import io.segmentramen.mapping.MappingTable.OtherTraits;
import io.segmentramen.mapping.MappingTable.Reject;
import io.segmentramen.mapping.MappingTable.Row;
import io.segmentramen.mapping.MappingTable.Rule;
import io.segmentramen.mapping.MappingTable.Section;
import io.segmentramen.mapping.MappingTable.Step;
import io.segmentramen.mapping.MappingTable.Warn;
import io.segmentramen.segment.SegmentEvent;

import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Segment event → RamenJS settings object (SPEC §4), by applying the {@link MappingTable}. Pure: the
 * same event and organization always give the same payload; signing is added later, per delivery attempt.
 */
public final class RamenMapper {

    private static final String PARTNER = "segment.com";

    /** SPEC §13: a mapped payload above this is rejected {@code mapped_payload_too_large}. */
    public static final int MAX_PAYLOAD_BYTES = 32_768;

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
        Application mapping = new Application(event.json(), payload, nameAsGiven, warnings);
        mapping.apply(MappingTable.COMMON);
        Section section = switch (event.eventType()) {
            case IDENTIFY -> MappingTable.CUSTOMER;
            case GROUP -> MappingTable.GROUP;
            case TRACK -> MappingTable.TRACK;
            case PAGE -> MappingTable.PAGE;
            default -> throw new IllegalArgumentException("not a mappable type: " + event.type());
        };
        mapping.apply(section);
        if (mapping.rejection != null) {
            return new MappingResult.Rejected(mapping.rejection, warnings.list());
        }
        if (nameAsGiven && payload.has("user")) {
            List<String> signed = MappingTable.signedSources(section);
            String unsignable = event.textRepairedBeyondRecord()
                    ? "too many strings held an unpaired UTF-16 surrogate to tell whether " + String.join(", ", signed) + " did"
                    : signed.stream().filter(event::textRepaired).findFirst().map(field -> field + " held an unpaired UTF-16 surrogate").orElse(null);
            if (unsignable != null) {
                return new MappingResult.Rejected(new Rejection("unsignable_text", unsignable + ", sent as U+FFFD;"
                        + " the sender's integrations.Ramen.auth_hash cannot match it: sign with RAMEN_SECRET_KEY or fix the text"), warnings.list());
            }
        }
        if (event.ramenOptions() != null) {
            mapping.apply(MappingTable.OPTIONS); // every source of this section lies in integrations.Ramen
        }
        long bytes = Json.byteCount(payload);
        if (bytes > MAX_PAYLOAD_BYTES) {
            return new MappingResult.Rejected(new Rejection("mapped_payload_too_large", "the Ramen payload mapped from this event is " + bytes
                    + " bytes, above the " + MAX_PAYLOAD_BYTES + "-byte limit (flattened traits repeat their parents' keys)"), warnings.list());
        }
        return new MappingResult.Mapped(payload, warnings.list(), bytes);
    }

    /** The table applied to one event. */
    private final class Application {

        private final JsonNode event;
        private final ObjectNode payload;
        private final boolean asGiven;
        private final Warnings warnings;
        private Rejection rejection;

        Application(JsonNode event, ObjectNode payload, boolean asGiven, Warnings warnings) {
            this.event = event;
            this.payload = payload;
            this.asGiven = asGiven;
            this.warnings = warnings;
        }

        /**
         * The section's rules in order. Rows that decide whether it applies (a rejected email, a
         * missing company id) come first; then consumed traits holding a non-finite number are named
         * in warnings; then the rest. False when the section was not applied (nothing written).
         */
        boolean apply(Section section) {
            ObjectNode target = section.target().isEmpty() ? payload : (ObjectNode) payload.get(section.target());
            if (target == null && section.existingOnly()) {
                return false;
            }
            JsonNode traits = section.traits() == null ? null : section.traits().read(event, null, payload);
            boolean swept = false;
            boolean nestedApplied = false;
            for (Rule rule : section.rules()) {
                if (!swept && !(rule instanceof Row row && row.decides())) {
                    warnNonFinite(traits, section.consumed(), section);
                    swept = true;
                }
                JsonNode value = null;
                String field = "traits";
                if (rule instanceof Row row) {
                    if (row.unless() != null && target != null && target.has(row.unless())) {
                        continue;
                    }
                    value = value(row, traits);
                    if (rejection != null || value == null && row.isRequired()) {
                        return false;
                    }
                    field = row.field();
                } else if (rule instanceof Nested nested) {
                    JsonNode object = nested.source().read(event, traits, payload);
                    if (object != null && object.isObject()) {
                        nestedApplied = apply(nested.section());
                        if (rejection != null) {
                            return false;
                        }
                        if (!nestedApplied) {
                            warnings.add(nested.code(), nested.message());
                        }
                    } else if (object != null && !object.isNull() && !nested.source().inTraits()) {
                        // an option that is not an object (a trait that is not one stays an ordinary trait)
                        warnings.add(nested.code(), () -> nested.source() + " is not an object; dropped");
                    }
                } else if (rule instanceof OtherTraits) {
                    Set<String> consumed = nestedApplied ? section.consumedWithNested() : section.consumed();
                    ObjectNode converted = TraitConverter.convert(traits, consumed, section.traits().spelled(), warnings);
                    value = converted.isEmpty() ? null : converted;
                } else {
                    apply((Step) rule);
                }
                if (value != null) {
                    target = target != null ? target : payload.putObject(section.target());
                    write(target, field, value);
                }
            }
            if (target == null) {
                payload.putObject(section.target());
            }
            return true;
        }

        /**
         * The one function every row goes through: the first source with a value wins; a wrong value
         * rejects the event, is dropped with a warning, or is passed over, as the row says.
         */
        private JsonNode value(Row row, JsonNode traits) {
            boolean asGivenOnly = asGiven && row.isSigned();
            int read = asGivenOnly ? 1 : row.sources().size();
            JsonNode found = null;
            Source used = null;
            for (int i = 0; i < read; i++) {
                Source source = row.sources().get(i);
                JsonNode value = source.read(event, traits, payload);
                if (source.inTraits() && used == null) {
                    // a joined source (firstName + lastName) reads only text: a consumed part that is not is named
                    source.partsNotText(event, traits, payload).forEach(part ->
                            warnings.add(Warnings.Code.WRONG_TYPE, () -> part + " is not a string or a number; not sent"));
                }
                if (value == null) {
                    continue;
                }
                if (used != null) {
                    if (row.ignoredCode() != null && !value.isNull()) {
                        Source first = used;
                        warnings.add(row.ignoredCode(), () -> source + " ignored: " + first + " already gives " + row.field());
                    }
                    continue;
                }
                Converted converted = row.converter().convert(value, asGivenOnly);
                if (converted instanceof Converter.Value result) {
                    found = result.node();
                    used = source;
                } else if (converted instanceof Converter.Wrong wrong && row.onWrong() instanceof Reject reject) {
                    rejection = new Rejection(reject.reason(), source + " " + wrong.problem());
                    return null;
                } else if (converted instanceof Converter.Wrong wrong && row.onWrong() instanceof Warn warn) {
                    warnings.add(warn.code(), warn.message() != null ? () -> warn.message() : () -> source + " " + wrong.problem() + "; dropped");
                    used = source;
                } else if (converted instanceof Converter.Wrong wrong && !row.isRequired() && source.inTraits()
                        && source.paths().size() == 1 && !Json.isNonFinite(value)) {
                    // a consumed trait is not sent among the custom traits either: name what is lost
                    // (a required row's section says it itself; non-finite numbers: warnNonFinite)
                    warnings.add(Warnings.Code.WRONG_TYPE, () -> source + " " + wrong.problem() + "; not sent");
                }
                if (used != null && row.ignoredCode() == null) {
                    break;
                }
            }
            return found;
        }

        private void apply(Step step) {
            switch (step) {
                case IMPORT -> {
                    JsonNode sentAt = read(step, 0);
                    if (importRule.isImportAt(sentAt == null ? OptionalLong.empty() : OptionalLong.of(sentAt.longValue()), read(step, 1),
                            clock.instant())) {
                        payload.put("import", true);
                    }
                }
                case AUDIENCE -> audience(read(step, 0).asText(), Converter.text(read(step, 1)));
            }
        }

        private JsonNode read(Step step, int source) {
            return step.sources.get(source).read(event, null, payload);
        }

        private void audience(String name, String audienceKey) {
            if (!name.equals("Audience Entered") && !name.equals("Audience Exited")) {
                return;
            }
            ObjectNode user = (ObjectNode) payload.get("user");
            if (audienceKey == null || audienceKey.isEmpty()) {
                warnings.add(Warnings.Code.AUDIENCE_NOT_SENT, "properties.audience_key is missing; audience membership not sent");
            } else if (user == null) {
                warnings.add(Warnings.Code.AUDIENCE_NOT_SENT, "audience trait dropped: an anonymous visitor has no customer to hold it");
            } else if (audienceKey.length() > TraitConverter.MAX_KEY_LENGTH) {
                warnings.add(Warnings.Code.KEY_TOO_LONG, () -> "properties.audience_key becomes a key longer than "
                        + TraitConverter.MAX_KEY_LENGTH + " characters; audience membership not sent");
            } else {
                user.putObject("traits").set(TraitConverter.safeKey(audienceKey), BooleanNode.valueOf(name.equals("Audience Entered")));
            }
        }

        /** A consumed trait (name, url, ...) that is not a finite number is left out, and said so. */
        private void warnNonFinite(JsonNode traits, Set<String> consumed, Section section) {
            if (traits == null || !traits.isObject()) {
                return;
            }
            traits.fields().forEachRemaining(field -> {
                if (consumed.contains(field.getKey()) && Json.isNonFinite(field.getValue())) {
                    warnings.add(Warnings.Code.NOT_FINITE, section.traits() + "." + field.getKey() + " is not a finite number; dropped");
                }
            });
        }
    }

    /** Writes {@code value} at a dotted {@code field} ({@code user.id}), creating the objects on the way. */
    private static void write(ObjectNode target, String field, JsonNode value) {
        int dot = field.indexOf('.');
        if (dot < 0) {
            target.set(field, value);
            return;
        }
        String parent = field.substring(0, dot);
        JsonNode object = target.get(parent);
        write(object instanceof ObjectNode existing ? existing : target.putObject(parent), field.substring(dot + 1), value);
    }
}
