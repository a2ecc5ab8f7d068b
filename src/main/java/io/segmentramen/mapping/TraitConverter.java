package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.segment.Times;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ramen's attribute processing (docs/CONTRACT.md §3, trait conversion): keys made safe, nested objects
 * flattened with {@code _}, arrays dropped, {@code _at} keys to epoch seconds, {@code is_} keys to
 * booleans. Every value that does not make it is named in a warning. Bounded whatever the input
 * (§3, bounded output): a flattened key longer than {@value #MAX_KEY_LENGTH} characters is dropped without
 * ever being built, and the path a warning names is only spelt out when the warning is listed.
 */
public final class TraitConverter {

    public static final int MAX_KEY_LENGTH = 128;
    private static final Pattern UNSAFE_KEY_CHARS = Pattern.compile("[^A-Za-z0-9_-]");

    private TraitConverter() {
    }

    /** Where a value came from, e.g. {@code traits.address.city}; spelt out only for a listed warning. */
    private record Source(Source parent, String name) {
        @Override
        public String toString() {
            return parent == null ? name : parent + "." + name;
        }

        String named() {
            return Warnings.name(toString());
        }
    }

    /**
     * @param traits   the sender's traits (may be null)
     * @param consumed trait names already mapped to a Ramen field
     * @param path     how warnings name the traits object, e.g. {@code traits} or {@code traits.company}
     */
    public static ObjectNode convert(JsonNode traits, Set<String> consumed, String path, Warnings warnings) {
        ObjectNode out = Json.object();
        if (traits == null || !traits.isObject()) {
            return out;
        }
        Source root = new Source(null, path);
        List<Entry> written = new ArrayList<>();
        List<Entry> flattened = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = traits.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (consumed.contains(field.getKey())) {
                continue;
            }
            Source source = new Source(root, field.getKey());
            JsonNode value = field.getValue();
            String key = field.getKey().length() > MAX_KEY_LENGTH ? null : safeKey(field.getKey()); // never longer than its source
            place(key, value, source, written, flattened, warnings);
        }
        for (Entry entry : written) {
            put(out, entry, "another trait", warnings);
        }
        for (Entry entry : flattened) {
            put(out, entry, "a trait written by the sender", warnings);
        }
        return out;
    }

    public static String safeKey(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!safe) {
                return UNSAFE_KEY_CHARS.matcher(key).replaceAll("_");
            }
        }
        return key;
    }

    /** @param prefix the flattened key so far, or null once it is longer than the limit */
    private static void flatten(String prefix, JsonNode object, Source source, List<Entry> into, Warnings warnings) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String key = null;
            if (prefix != null && name.length() <= MAX_KEY_LENGTH) {
                String safe = safeKey(name);
                key = prefix.length() + 1 + safe.length() > MAX_KEY_LENGTH ? null : prefix + "_" + safe;
            }
            Source childSource = new Source(source, name);
            JsonNode value = field.getValue();
            place(key, value, childSource, into, into, warnings);
        }
    }

    /** An object is flattened into {@code nested}; an array or a key too long is dropped with a warning; anything else goes to {@code scalars}. */
    private static void place(String key, JsonNode value, Source source, List<Entry> scalars, List<Entry> nested, Warnings warnings) {
        if (value.isObject()) {
            flatten(key, value, source, nested, warnings);
        } else if (value.isArray()) {
            warnings.add(Warnings.Code.ARRAY_DROPPED, () -> source.named() + " is an array; Ramen cannot hold arrays, dropped");
        } else if (key == null) {
            warnings.add(Warnings.Code.KEY_TOO_LONG, () -> source.named() + " becomes a key longer than " + MAX_KEY_LENGTH + " characters; dropped");
        } else {
            scalars.add(new Entry(key, value, source));
        }
    }

    private static void put(ObjectNode out, Entry entry, String collidesWith, Warnings warnings) {
        if (out.has(entry.key)) {
            warnings.add(Warnings.Code.KEY_COLLISION,
                    () -> entry.source.named() + " becomes " + Warnings.name(entry.key) + ", which " + collidesWith + " already holds; dropped");
            return;
        }
        if (Json.isNonFinite(entry.value)) {
            warnings.add(Warnings.Code.NOT_FINITE, () -> entry.source.named() + " is not a finite number; dropped");
            return;
        }
        JsonNode converted = convertValue(entry.key, entry.value);
        if (converted == null) {
            boolean time = entry.key.endsWith("_at");
            warnings.add(time ? Warnings.Code.NOT_A_TIME : Warnings.Code.NOT_A_BOOLEAN, () -> entry.source.named() + " is not "
                    + (time ? "a time (ISO-8601, epoch seconds or milliseconds)" : "a boolean") + "; dropped");
            return;
        }
        out.set(entry.key, converted);
    }

    /** The value Ramen should receive under this key, or null when it cannot be converted. */
    static JsonNode convertValue(String key, JsonNode value) {
        if (value.isNull()) {
            return value;
        }
        if (key.endsWith("_at")) {
            OptionalLong seconds = Times.toEpochSeconds(value);
            return seconds.isPresent() ? LongNode.valueOf(seconds.getAsLong()) : null;
        }
        if (key.startsWith("is_")) {
            Boolean flag = toBoolean(value);
            return flag == null ? null : BooleanNode.valueOf(flag);
        }
        return value;
    }

    /**
     * An {@code is_} trait becomes a boolean from {@code true/false}, {@code "true"/"false"}, {@code "yes"/"no"} (any case,
     * trimmed) or exactly the integer {@code 1/0}; anything else (2, 1.0, "maybe") is not a flag (docs/CONTRACT.md §3).
     */
    static Boolean toBoolean(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isIntegralNumber()) {
            BigInteger number = value.bigIntegerValue();
            return number.equals(BigInteger.ONE) ? Boolean.TRUE : number.signum() == 0 ? Boolean.FALSE : null;
        }
        if (value.isTextual()) {
            return switch (value.asText().trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "1" -> Boolean.TRUE;
                case "false", "no", "0" -> Boolean.FALSE;
                default -> null;
            };
        }
        return null;
    }

    private record Entry(String key, JsonNode value, Source source) {
    }
}
