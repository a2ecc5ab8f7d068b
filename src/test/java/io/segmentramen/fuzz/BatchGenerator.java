package io.segmentramen.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded batches of well-formed and hostile elements (plain {@link Random}: the same seed gives the
 * same batches). Each element remembers whether it is well-formed JSON, so a property can ask that
 * its outcome does not depend on its neighbours.
 */
public final class BatchGenerator {

    public enum Shape { SINGLE, ARRAY, BATCH }

    public record Element(byte[] bytes, boolean wellFormed, String kind) {
    }

    public record Batch(Shape shape, List<Element> elements, String envelope) {

        public byte[] body() {
            return body(elements);
        }

        /** The same request holding only element {@code i} (with the same envelope). */
        public byte[] alone(int i) {
            return body(List.of(elements.get(i)));
        }

        private byte[] body(List<Element> list) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (shape == Shape.SINGLE && list.size() == 1) {
                out.writeBytes(list.get(0).bytes());
                return out.toByteArray();
            }
            out.writeBytes((shape == Shape.BATCH ? "{\"batch\":[" : "[").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.writeBytes(list.get(i).bytes());
            }
            out.writeBytes((shape == Shape.BATCH ? "]" + envelope + "}" : "]").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }
    }

    private static final String[] TYPES = {"identify", "identify", "track", "track", "page", "group", "screen", "alias", "delete"};
    private static final String[] NUMBERS = {"0", "1", "-1", "1.5", "1e999", "-1e999", "18446744073709551617", "1e-999", "3.0e2",
            "1714564800", "1714564800123", "0.0"};
    private static final String[] STRINGS = {"", "x", "Ada Lovelace", "ada@example.com", "not-an-email", "\\ud800", "\\udc00x",
            "\\ud83d\\ude00", "é", "\\u0000", "yes", "no", "true", "2024-05-01T12:00:00Z", "  spaced  "};

    private final Random random;
    private long serial;

    public BatchGenerator(long seed) {
        this.random = new Random(seed);
    }

    public Batch next() {
        Shape shape = Shape.values()[random.nextInt(3)];
        int size = shape == Shape.SINGLE ? 1 : 1 + random.nextInt(6);
        List<Element> elements = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            elements.add(random.nextInt(4) == 0 ? hostile() : new Element(utf8(event()), true, "event"));
        }
        String envelope = random.nextBoolean() ? ",\"context\":{\"library\":{\"name\":\"gen\"},\"page\":{\"url\":\"https://example.com/e\"}}"
                + (random.nextBoolean() ? ",\"integrations\":{\"Ramen\":{\"environment\":\"prod\"}}" : "") : "";
        return new Batch(shape, elements, envelope);
    }

    private String event() {
        String type = TYPES[random.nextInt(TYPES.length)];
        StringBuilder json = new StringBuilder("{\"type\":\"").append(type).append('"');
        json.append(",\"messageId\":\"gen-").append(serial++).append('"');
        int identity = random.nextInt(5);
        if (identity < 3) {
            json.append(",\"userId\":").append(random.nextInt(4) == 0 ? Integer.toString(random.nextInt(100000)) : "\"u" + random.nextInt(50) + "\"");
        }
        if (identity >= 2) {
            json.append(",\"anonymousId\":\"a").append(random.nextInt(50)).append('"');
        }
        if (type.equals("track")) {
            json.append(",\"event\":").append(random.nextInt(5) == 0 ? "\"Audience Entered\",\"properties\":{\"audience_key\":\"vip\"}"
                    : "\"E" + random.nextInt(9) + "\"");
        }
        if (type.equals("group")) {
            json.append(",\"groupId\":\"g").append(random.nextInt(9)).append('"');
        }
        if (random.nextBoolean()) {
            json.append(",\"timestamp\":\"2024-05-01T12:00:0").append(random.nextInt(10)).append("Z\"");
        }
        if (type.equals("identify") || type.equals("group") || random.nextInt(4) == 0) {
            json.append(",\"traits\":").append(object(0));
        }
        if (random.nextInt(5) == 0) {
            json.append(",\"context\":{\"page\":{\"url\":\"https://example.com/").append(random.nextInt(9)).append("\"}}");
        }
        if (random.nextInt(6) == 0) {
            json.append(",\"integrations\":{\"Ramen\":").append(random.nextInt(4) == 0 ? "false"
                    : "{\"environment\":\"dev\",\"user\":{\"labels\":[\"a\"],\"value\":" + number() + "}}").append('}');
        }
        return json.append('}').toString();
    }

    private String object(int depth) {
        StringBuilder json = new StringBuilder("{");
        int fields = random.nextInt(depth == 0 ? 8 : 4);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"').append(key(i)).append("\":").append(value(depth));
        }
        return json.append('}').toString();
    }

    private String key(int i) {
        return switch (random.nextInt(12)) {
            case 0 -> "email";
            case 1 -> "name";
            case 2 -> "is_flag" + i;
            case 3 -> "seen_at" + (i == 0 ? "" : i);
            case 4 -> "company";
            case 5 -> "k" + "x".repeat(random.nextInt(200)) + i;
            case 6 -> "odd key " + i;
            case 7 -> "created_at";
            default -> "t" + i;
        };
    }

    private String value(int depth) {
        return switch (random.nextInt(depth > 3 ? 4 : 6)) {
            case 0 -> number();
            case 1, 2 -> "\"" + STRINGS[random.nextInt(STRINGS.length)] + "\"";
            case 3 -> random.nextBoolean() ? "true" : "null";
            case 4 -> object(depth + 1);
            default -> "[" + (random.nextBoolean() ? number() : "") + "]";
        };
    }

    private String number() {
        return NUMBERS[random.nextInt(NUMBERS.length)];
    }

    private Element hostile() {
        String id = ",\"messageId\":\"gen-" + serial++ + "\",\"userId\":\"h" + random.nextInt(50) + "\"";
        return switch (random.nextInt(10)) {
            case 0 -> new Element(utf8("{\"type\":\"track\",\"event\":\"Deep\"" + id + ",\"properties\":"
                    + "[".repeat(65 + random.nextInt(200)) + "]".repeat(0) + "}"), false, "unclosed-deep");
            case 1 -> {
                int depth = 64 + random.nextInt(100);
                yield new Element(utf8("{\"type\":\"track\",\"event\":\"Deep\"" + id + ",\"p\":" + "[".repeat(depth) + "]".repeat(depth) + "}"),
                        false, "deep");
            }
            case 2 -> new Element(utf8("{\"type\":\"track\",\"event\":\"Dup\"" + id + ",\"event\":\"Again\"}"), false, "duplicate");
            case 3 -> new Element(utf8("{\"type\":\"track\",\"event\":\"N\"" + id + ",\"properties\":{\"n\":" + "9".repeat(101) + "}}"),
                    false, "long-number");
            case 4 -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(utf8("{\"type\":\"track\"" + id + ",\"event\":\""));
                out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
                out.writeBytes(utf8("\"}"));
                yield new Element(out.toByteArray(), false, "invalid-utf8");
            }
            case 5 -> new Element(utf8(new String[] {"42", "\"text\"", "null", "[]", "true", "{}"}[random.nextInt(6)]), true, "not-an-object");
            case 6 -> new Element(utf8("{\"type\":\"track\",\"event\":\"Big\"" + id + ",\"properties\":{\"blob\":\"" + "x".repeat(33_000) + "\"}}"),
                    true, "too-large");
            case 7 -> {
                String field = new String[] {"messageId", "userId", "anonymousId", "groupId", "event", "type"}[random.nextInt(6)];
                java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
                values.put("type", "\"group\"");
                values.put("groupId", "\"g\"");
                values.put("userId", "\"u\"");
                values.put("messageId", "\"gen-" + serial++ + "\"");
                values.put(field, random.nextBoolean() ? "1e999" : "-1e999");
                StringBuilder json = new StringBuilder("{");
                values.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(value));
                yield new Element(utf8(json.append('}').toString()), true, "non-finite-identity");
            }
            case 8 -> {
                StringBuilder arrays = new StringBuilder();
                for (int i = 0; i < 300; i++) {
                    arrays.append(i == 0 ? "" : ",").append('"').append(i).append("\":[]");
                }
                yield new Element(utf8("{\"type\":\"identify\"" + id + ",\"traits\":{\"" + "k".repeat(5000) + "\":{" + arrays + "}}}"),
                        true, "amplification");
            }
            default -> {
                StringBuilder leaves = new StringBuilder();
                for (int i = 0; i < 300; i++) {
                    leaves.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":1");
                }
                yield new Element(utf8("{\"type\":\"identify\"" + id + ",\"traits\":{\"" + "p".repeat(120) + "\":{" + leaves + "}}}"),
                        true, "payload-amplification");
            }
        };
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
