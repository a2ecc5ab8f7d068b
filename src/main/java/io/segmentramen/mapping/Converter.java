package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.segmentramen.json.Json;
import io.segmentramen.segment.Times;

import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * How a {@link MappingTable} row turns the value it read into what Ramen receives. A converter says
 * a value is wrong ({@link Wrong}, with what is wrong); the row decides what that does. JSON
 * {@code null} is no value, except where a converter says otherwise.
 */
enum Converter {
    /** An id: a string, or a number as plain decimals ({@link Json#text}); not a boolean; {@code ""} is no id. */
    ID("is not a string or a number"),
    /** A string, or a finite number as written; {@code ""} included. */
    TEXT("is not a string or a number"),
    /** {@link #TEXT}, but {@code ""} is no value (the next source is read). */
    NONEMPTY_TEXT("is not a string or a number"),
    /** {@link #TEXT}, but blank is no value; as given (a forwarded hash covers it), any text. */
    NAME("is not a string or a number"),
    /** A string, trimmed (as given: untouched); {@code ""} is no value; anything else must be an email address. */
    EMAIL("must be a string"),
    /** A time: ISO-8601, epoch seconds or epoch milliseconds, sent as epoch seconds. */
    TIME("is not a time (ISO-8601, epoch seconds or milliseconds)"),
    /** A JSON string, passed through. */
    STRING("is not a string"),
    /** A JSON array, passed through. */
    ARRAY("is not an array"),
    /** An array of strings, passed through; {@code null} is not one. */
    STRING_ARRAY("is not an array of strings"),
    /** A finite number, passed through; {@code null} is not one. */
    FINITE_NUMBER("is not a finite number");

    private static final Pattern EMAIL_ADDRESS = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Wrong NOT_AN_EMAIL_ADDRESS = new Wrong("is not a valid email address");

    /** What a conversion gives: a value, nothing (read the next source), or a wrong value. */
    sealed interface Converted permits Value, Wrong, Nothing {
    }

    record Value(JsonNode node) implements Converted {
    }

    /** @param problem what is wrong, after the source's name: {@code must be a string} */
    record Wrong(String problem) implements Converted {
    }

    enum Nothing implements Converted { NOTHING }

    private final Wrong wrong;

    Converter(String problem) {
        this.wrong = new Wrong(problem);
    }

    /** @param asGiven a forwarded Secure Mode hash covers this value: no trimming, no fallback */
    Converted convert(JsonNode value, boolean asGiven) {
        if (value.isNull() && this != STRING_ARRAY && this != FINITE_NUMBER) {
            return Nothing.NOTHING;
        }
        return switch (this) {
            case ID -> {
                String id = Json.text(value);
                yield id == null ? wrong : id.isEmpty() ? Nothing.NOTHING : text(value, id);
            }
            case TEXT, NONEMPTY_TEXT, NAME -> {
                String text = text(value);
                if (text == null) {
                    yield wrong;
                }
                boolean empty = this == NAME ? !asGiven && text.isBlank() : this == NONEMPTY_TEXT && text.isEmpty();
                yield empty ? Nothing.NOTHING : text(value, text);
            }
            case EMAIL -> {
                if (!value.isTextual()) {
                    yield wrong;
                }
                String email = asGiven ? value.asText() : value.asText().trim();
                yield email.isEmpty() ? Nothing.NOTHING : EMAIL_ADDRESS.matcher(email).matches() ? text(value, email) : NOT_AN_EMAIL_ADDRESS;
            }
            case TIME -> {
                OptionalLong seconds = Times.toEpochSeconds(value);
                yield seconds.isPresent() ? new Value(LongNode.valueOf(seconds.getAsLong())) : wrong;
            }
            case STRING -> value.isTextual() ? new Value(value) : wrong;
            case ARRAY -> value.isArray() ? new Value(value.deepCopy()) : wrong;
            case STRING_ARRAY -> value.isArray() && allText(value) ? new Value(value.deepCopy()) : wrong;
            case FINITE_NUMBER -> value.isNumber() && !Json.isNonFinite(value) ? new Value(value) : wrong;
        };
    }

    /** A string, or a finite number as written; null for anything else. */
    static String text(JsonNode value) {
        return value == null || !(value.isTextual() || value.isNumber()) || Json.isNonFinite(value) ? null : value.asText();
    }

    /** The text as a node, reusing the event's own node when it is that text already. */
    private static Value text(JsonNode value, String text) {
        return new Value(value.isTextual() && value.textValue().equals(text) ? value : TextNode.valueOf(text));
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
