package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.segmentramen.json.Json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a row of the {@link MappingTable} reads a value, as spelt in the table: an event path
 * ({@code traits.email}), two event paths whose text is joined with a space
 * ({@code traits.firstName + traits.lastName}), or a field already mapped ({@code user.email (as mapped)}).
 *
 * @param eventPaths the event paths read, dotted (none for a mapped field)
 * @param paths      the paths as read: from the payload when {@code mapped}, from the section's traits
 *                   object when {@code inTraits} (the traits path left out), otherwise from the event
 */
record Source(String spelled, List<String> eventPaths, List<String[]> paths, boolean mapped, boolean inTraits) {

    private static final String JOIN = " + ";
    private static final String MAPPED = " (as mapped)";

    static List<Source> all(String... spelled) {
        return Arrays.stream(spelled).map(Source::parse).toList();
    }

    static Source parse(String spelled) {
        if (spelled.endsWith(MAPPED)) {
            return new Source(spelled, List.of(), List.<String[]>of(split(spelled.substring(0, spelled.length() - MAPPED.length()))), true, false);
        }
        List<String> eventPaths = List.of(spelled.split(Pattern.quote(JOIN)));
        return new Source(spelled, eventPaths, eventPaths.stream().map(Source::split).toList(), false, false);
    }

    private static String[] split(String path) {
        return path.split("\\.");
    }

    /** The same source read from the traits object at {@code traits} when every path of it lies inside. */
    Source within(Source traits) {
        String prefix = traits.spelled + ".";
        if (mapped || !eventPaths.stream().allMatch(path -> path.startsWith(prefix))) {
            return this;
        }
        return new Source(spelled, eventPaths, eventPaths.stream().map(path -> split(path.substring(prefix.length()))).toList(), false, true);
    }

    /** The value, or null when there is none. */
    JsonNode read(JsonNode event, JsonNode traits, JsonNode payload) {
        JsonNode base = mapped ? payload : inTraits ? traits : event;
        if (paths.size() == 1) {
            return at(base, paths.get(0));
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < paths.size(); i++) {
            String text = Converter.text(at(base, paths.get(i)));
            joined.append(i == 0 ? "" : " ").append(text == null ? "" : text.trim());
        }
        return TextNode.valueOf(joined.toString().trim());
    }

    /** The event paths of a joined source whose values are there but not text (a joined source reads only text). */
    List<String> partsNotText(JsonNode event, JsonNode traits, JsonNode payload) {
        if (paths.size() < 2) {
            return List.of();
        }
        JsonNode base = mapped ? payload : inTraits ? traits : event;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            JsonNode part = at(base, paths.get(i));
            if (part != null && !part.isNull() && Converter.text(part) == null && !Json.isNonFinite(part)) {
                wrong.add(eventPaths.get(i));
            }
        }
        return wrong;
    }

    private static JsonNode at(JsonNode node, String[] path) {
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
