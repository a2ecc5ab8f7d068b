package io.segmentramen.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.testing.Fixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One case of the hostile corpus, {@code src/test/resources/hostile/<name>/} (format in the
 * README.md there): a body, raw in {@code body.json} or built from {@code parts} of
 * {@code case.json}, and what every entry point must answer.
 */
public record HostileCase(String name, JsonNode spec) {

    public static List<String> names() {
        return Fixtures.text("hostile/cases.txt").lines().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    public static HostileCase load(String name) {
        return new HostileCase(name, Fixtures.json("hostile/" + name + "/case.json"));
    }

    public static List<HostileCase> all() {
        return names().stream().map(HostileCase::load).toList();
    }

    public String contentType() {
        return spec.path("contentType").asText("application/json");
    }

    public JsonNode expect() {
        return spec.path("expect");
    }

    /** Entry points that cannot carry this body (e.g. SQS for bytes that are not UTF-8 text). */
    public Set<String> skipped() {
        Set<String> skip = new java.util.HashSet<>();
        spec.path("skip").forEach(entry -> skip.add(entry.asText()));
        return skip;
    }

    /** The body with fresh {@code {uuid}}s (a new one per occurrence) and {@code {now}} as epoch seconds. */
    public byte[] body(Instant now) {
        return body(now, true);
    }

    private byte[] body(Instant now, boolean fresh) {
        Charset encoding = Charset.forName(spec.path("encoding").asText("UTF-8"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] raw = resource("hostile/" + name + "/body.json");
        if (raw != null) {
            out.writeBytes(substitute(new String(raw, StandardCharsets.UTF_8), 0, now, fresh).getBytes(encoding));
        }
        for (JsonNode part : spec.path("parts")) {
            if (part.has("hex")) {
                out.writeBytes(HexFormat.of().parseHex(part.path("hex").asText()));
                continue;
            }
            int times = part.path("times").asInt(1);
            String joiner = part.path("joiner").asText("");
            String text = part.path("text").asText();
            StringBuilder built = new StringBuilder();
            for (int i = 0; i < times; i++) {
                if (i > 0) {
                    built.append(joiner);
                }
                built.append(substitute(text, i, now, fresh));
            }
            out.writeBytes(built.toString().getBytes(encoding));
        }
        return out.toByteArray();
    }

    private static String substitute(String text, int index, Instant now, boolean fresh) {
        if (text.indexOf('{') < 0) {
            return text;
        }
        String result = text.replace("{i}", Integer.toString(index)).replace("{now}", Long.toString(now.getEpochSecond()));
        while (result.contains("{uuid}")) {
            result = result.replaceFirst("\\{uuid}", fresh ? UUID.randomUUID().toString() : "00000000-0000-0000-0000-000000000000");
        }
        return result;
    }

    private static byte[] resource(String path) {
        try (InputStream in = HostileCase.class.getResourceAsStream("/" + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every expected result, in order (empty for a whole-body refusal). */
    public List<JsonNode> results() {
        List<JsonNode> results = new ArrayList<>();
        expect().path("results").forEach(results::add);
        return results;
    }

    public long expected(String status) {
        return results().stream().filter(r -> r.path("status").asText().equals(status)).count();
    }

    @Override
    public String toString() {
        return name;
    }
}
