package io.segmentramen.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An unpaired UTF-16 surrogate (only a {@code \uD800}-style escape can make one)
 * becomes U+FFFD, once, when an event is parsed, so that the Secure Mode hash and the bytes on the
 * wire are over the same text. The paths of repaired strings near the root (two levels:
 * {@code userId}, {@code traits.name}) are recorded for the rule on forwarded hashes.
 */
public final class TextRepair {

    public static final char REPLACEMENT = '\uFFFD';
    private static final int RECORDED_DEPTH = 2;
    private static final int RECORDED_PATHS = 16;
    /** Recorded (once) instead of a path when more paths were repaired than are recorded. */
    public static final String BEYOND_RECORD = "*";

    private TextRepair() {
    }

    /**
     * True when the raw JSON bytes hold an escape that could be a surrogate ({@code \\uD8..}–{@code \\uDF..}):
     * without one, no string of the decoded value needs looking at.
     */
    public static boolean mayHoldSurrogateEscape(byte[] json, int start, int end) {
        for (int i = start; i + 3 < end; i++) {
            if (json[i] == '\\' && json[i + 1] == 'u' && (json[i + 2] == 'd' || json[i + 2] == 'D')) {
                byte c = json[i + 3];
                if ((c >= '8' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Replaces unpaired surrogates in every string and field name of {@code node} (depth is bounded
     * by the parser's nesting limit). Returns the node to use (a new one only when a field name changed).
     *
     * @param repaired receives the dotted paths (up to two levels) of repaired strings
     */
    public static JsonNode repair(JsonNode node, Set<String> repaired) {
        return repair(node, "", 0, repaired);
    }

    private static JsonNode repair(JsonNode node, String path, int depth, Set<String> repaired) {
        if (node.isTextual()) {
            String fixed = fix(node.textValue());
            if (fixed == null) {
                return node;
            }
            record(path, depth, repaired);
            return TextNode.valueOf(fixed);
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode child = array.get(i);
                JsonNode fixed = repair(child, path, depth + 1, repaired);
                if (fixed != child) {
                    array.set(i, fixed);
                }
            }
            return array;
        }
        if (node instanceof ObjectNode object) {
            boolean keysChanged = false;
            List<Map.Entry<String, JsonNode>> changed = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                String childPath = depth == 0 ? key : path + "." + key;
                JsonNode fixed = repair(field.getValue(), childPath, depth + 1, repaired);
                if (fixed != field.getValue()) {
                    changed.add(Map.entry(key, fixed));
                }
                keysChanged |= fix(key) != null;
            }
            changed.forEach(entry -> object.set(entry.getKey(), entry.getValue()));
            if (!keysChanged) {
                return object;
            }
            record(path, depth, repaired);
            ObjectNode rebuilt = object.objectNode();
            object.fields().forEachRemaining(field -> {
                String key = fix(field.getKey());
                // a repaired name that collides with an existing one: the first keeps its value
                rebuilt.putIfAbsent(key == null ? field.getKey() : key, field.getValue());
            });
            return rebuilt;
        }
        return node;
    }

    private static void record(String path, int depth, Set<String> repaired) {
        String recorded = depth <= RECORDED_DEPTH ? path : path.substring(0, nthDot(path, RECORDED_DEPTH));
        if (repaired.size() < RECORDED_PATHS || repaired.contains(recorded)) {
            repaired.add(recorded);
        } else {
            repaired.add(BEYOND_RECORD); // so that a path left unrecorded is never taken for a clean one
        }
    }

    private static int nthDot(String path, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            int next = path.indexOf('.', at + 1);
            if (next < 0) {
                return path.length();
            }
            at = next;
        }
        return at;
    }

    /** The text with unpaired surrogates replaced, or null when it has none. */
    public static String fix(String text) {
        int n = text.length();
        char[] out = null;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            if (out == null) {
                out = text.toCharArray();
            }
            out[i] = REPLACEMENT;
        }
        return out == null ? null : new String(out);
    }
}
