package io.segmentramen.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The one ObjectMapper of the pipeline. Its read constraints are what keeps hostile bodies (deep
 * nesting, 10 000-digit numbers, duplicate keys) from costing more than a 400.
 */
public final class Json {

    public static final int MAX_NESTING_DEPTH = 64;
    public static final int MAX_NUMBER_LENGTH = 100;

    public static final ObjectMapper MAPPER = newMapper();

    /** Reads exactly one JSON value: content after it is an error, not ignored. */
    public static final ObjectReader STRICT_READER = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    private static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.configure(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION, false);
        return mapper;
    }

    /** What writes one JSON object's members, between its braces. */
    @FunctionalInterface
    public interface Members {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * One JSON object as text, streamed (no tree): the log lines (outcome, EMF, application) are written
     * this way. {@code sizeHint}: the characters to expect.
     */
    public static String objectText(int sizeHint, Members members) {
        StringWriter out = new StringWriter(sizeHint);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            members.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Text of a scalar node, numbers as plain decimals; null for absent, null or structured nodes,
     * and for a number that is not finite as a double ({@code 1e999}: it has no decimal text).
     */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode() || isNonFinite(node)) {
            return null;
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() ? node.bigIntegerValue().toString()
                    : node.decimalValue().stripTrailingZeros().toPlainString();
        }
        // Booleans are not text: {"id": true} is no id, as groupId: true is not one.
        return node.isTextual() ? node.asText() : null;
    }

    /** A number that is not finite as a double: {@code 1e999}, {@code -1e999}. */
    public static boolean isNonFinite(JsonNode node) {
        return node != null && node.isFloatingPointNumber() && !node.isBigDecimal() && !Double.isFinite(node.doubleValue());
    }

    /** The size of a value written as JSON, without keeping the bytes. */
    public static long byteCount(JsonNode value) {
        long[] count = {0};
        java.io.OutputStream counter = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        try {
            MAPPER.writeValue(counter, value);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        return count[0];
    }
}
