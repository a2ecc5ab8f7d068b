package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ramen's attribute processing (SPEC §4, trait conversion): keys made safe, nested objects
 * flattened with {@code _}, arrays dropped, {@code _at} keys to epoch seconds, {@code is_} keys to
 * booleans. Every value that does not make it is named in a warning.
 */
public final class TraitConverter {

    private static final Pattern UNSAFE_KEY_CHARS = Pattern.compile("[^A-Za-z0-9_-]");

    private TraitConverter() {
    }

    /**
     * @param traits   the sender's traits (may be null)
     * @param consumed trait names already mapped to a Ramen field
     * @param path     how warnings name the traits object, e.g. {@code traits} or {@code traits.company}
     */
    public static ObjectNode convert(JsonNode traits, Set<String> consumed, String path, List<String> warnings) {
        ObjectNode out = Json.object();
        if (traits == null || !traits.isObject()) {
            return out;
        }
        List<Entry> written = new ArrayList<>();
        List<Entry> flattened = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = traits.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (consumed.contains(field.getKey())) {
                continue;
            }
            String source = path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(safeKey(field.getKey()), value, source, flattened, warnings);
            } else if (value.isArray()) {
                warnings.add(source + " is an array; Ramen cannot hold arrays, dropped");
            } else {
                written.add(new Entry(safeKey(field.getKey()), value, source));
            }
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

    private static void flatten(String prefix, JsonNode object, String source, List<Entry> into, List<String> warnings) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + "_" + safeKey(field.getKey());
            String childSource = source + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key, value, childSource, into, warnings);
            } else if (value.isArray()) {
                warnings.add(childSource + " is an array; Ramen cannot hold arrays, dropped");
            } else {
                into.add(new Entry(key, value, childSource));
            }
        }
    }

    private static void put(ObjectNode out, Entry entry, String collidesWith, List<String> warnings) {
        if (out.has(entry.key)) {
            warnings.add(entry.source + " becomes " + entry.key + ", which " + collidesWith + " already holds; dropped");
            return;
        }
        JsonNode converted = convertValue(entry.key, entry.value);
        if (converted == null) {
            String expected = entry.key.endsWith("_at") ? "a time (ISO-8601, epoch seconds or milliseconds)" : "a boolean";
            warnings.add(entry.source + " is not " + expected + "; dropped");
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

    static Boolean toBoolean(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isIntegralNumber()) {
            long number = value.asLong();
            return number == 1 ? Boolean.TRUE : number == 0 ? Boolean.FALSE : null;
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

    private record Entry(String key, JsonNode value, String source) {
    }
}
