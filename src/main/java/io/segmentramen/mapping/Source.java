package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a row of the {@link MappingTable} reads a value, as spelt in the table: an event path
 * ({@code traits.email}), two event paths whose text is joined with a space
 * ({@code traits.firstName + traits.lastName}), or a field already mapped ({@code user.email (as mapped)}).
 */
record Source(String spelled, List<String[]> paths, boolean mapped) {

    private static final String JOIN = " + ";
    private static final String MAPPED = " (as mapped)";

    static List<Source> all(String... spelled) {
        return Arrays.stream(spelled).map(Source::parse).toList();
    }

    static Source parse(String spelled) {
        if (spelled.endsWith(MAPPED)) {
            return new Source(spelled, List.<String[]>of(split(spelled.substring(0, spelled.length() - MAPPED.length()))), true);
        }
        return new Source(spelled, Arrays.stream(spelled.split(Pattern.quote(JOIN))).map(Source::split).toList(), false);
    }

    private static String[] split(String path) {
        return path.split("\\.");
    }

    /** The event paths read (none for a mapped field). */
    List<String> eventPaths() {
        return mapped ? List.of() : paths.stream().map(path -> String.join(".", path)).toList();
    }

    /** The value, or null when there is none. */
    JsonNode read(JsonNode event, JsonNode payload) {
        if (mapped) {
            return at(payload, paths.get(0));
        }
        if (paths.size() == 1) {
            return at(event, paths.get(0));
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < paths.size(); i++) {
            String text = Converter.text(at(event, paths.get(i)));
            joined.append(i == 0 ? "" : " ").append(text == null ? "" : text.trim());
        }
        return TextNode.valueOf(joined.toString().trim());
    }

    static JsonNode at(JsonNode node, String[] path) {
        JsonNode value = node;
        for (int i = 0; i < path.length && value != null; i++) {
            value = value.get(path[i]);
        }
        return value;
    }

    @Override
    public String toString() {
        return spelled;
    }
}
