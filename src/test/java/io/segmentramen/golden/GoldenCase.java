package io.segmentramen.golden;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.testing.Fixtures;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One golden case: a folder under {@code src/test/resources/golden/}. Every folder is a case (a new
 * folder is a new case, nothing to register):
 * <ul>
 * <li>{@code event.json}: the request body, posted as it is;</li>
 * <li>{@code expect.json}: the HTTP status ({@code httpStatus}) and the report's counts, or, for a
 *     request refused whole, the {@code error} code instead of counts; optionally {@code ramenAnswers},
 *     the status the fake Ramen answers with (200 when absent; a 3xx comes with a {@code Location}),
 *     and {@code headers}, what the request carries instead of {@link GoldenProfile#HEADERS} (a
 *     {@code null} value leaves that header out): such a case is about HTTP headers, which a direct
 *     invocation does not have (IAM authenticates it), so only the HTTP entry points run it;</li>
 * <li>{@code result.json}: the report's {@code results}, every one of them, in order (an object
 *     for a one-event case, an array otherwise); absent for a request refused whole;</li>
 * <li>{@code ramen.json}: the exact bodies Ramen must receive (an object for one request, an array
 *     in any order for several); absent when nothing may reach Ramen.</li>
 * </ul>
 */
public record GoldenCase(String name, byte[] event, JsonNode expect, List<JsonNode> results, List<JsonNode> ramen) {

    private static final String ROOT = "golden";
    /**
     * Cases that need the idempotency table (a DynamoDB API), in the same form plus {@code table} in
     * {@code expect.json}: what the table holds for the event's messageId beforehand ({@code COMPLETED},
     * a live {@code INPROGRESS} claim of another instance) or {@code unreachable} (then the instance
     * fails closed). IdempotencyTableTest runs them against moto's server.
     */
    public static final String TABLE_ROOT = "golden-table";

    /** Every folder under {@code golden/}, sorted by name. */
    public static List<GoldenCase> all() {
        return names().stream().map(GoldenCase::load).toList();
    }

    /** Every folder under {@code golden-table/}, sorted by name. */
    public static List<GoldenCase> withTable() {
        return names(TABLE_ROOT).stream().map(name -> load(TABLE_ROOT, name)).toList();
    }

    /** The names of the folders under {@code golden/}, sorted. */
    public static List<String> names() {
        return names(ROOT);
    }

    private static List<String> names(String folder) {
        URL root = GoldenCase.class.getResource("/" + folder);
        if (root == null) {
            throw new IllegalStateException("no test resource folder " + folder);
        }
        try (Stream<Path> folders = Files.list(Path.of(root.toURI()))) {
            return folders.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static GoldenCase load(String name) {
        return load(ROOT, name);
    }

    private static GoldenCase load(String folder, String name) {
        String dir = folder + "/" + name + "/";
        byte[] event = bytesOrNull(dir + "event.json");
        if (event == null) {
            throw new IllegalStateException("golden case " + name + " has no event.json");
        }
        JsonNode expect = Fixtures.json(dir + "expect.json");
        List<JsonNode> results = expect.has("error") ? List.of() : list(Fixtures.json(dir + "result.json"));
        return new GoldenCase(name, event, expect, results,
                bytesOrNull(dir + "ramen.json") == null ? List.of() : list(Fixtures.json(dir + "ramen.json")));
    }

    public int httpStatus() {
        return expect.path("httpStatus").asInt();
    }

    /** What the direct invocation must end in: a report when nothing failed, Lambda's error otherwise. */
    public boolean anyFailed() {
        return expect.path("failed").asInt() > 0;
    }

    /** The code of a request refused whole ({@code {"error": {"code"}}}), or null when a report is expected. */
    public String errorCode() {
        return expect.has("error") ? expect.path("error").asText() : null;
    }

    /** The request's headers: {@link GoldenProfile#HEADERS}, changed by the case's {@code headers}. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>(GoldenProfile.HEADERS);
        expect.path("headers").fields().forEachRemaining(header -> {
            if (header.getValue().isNull()) {
                headers.remove(header.getKey());
            } else {
                headers.put(header.getKey(), header.getValue().asText());
            }
        });
        return headers;
    }

    /** A case about request headers: only the entry points that have headers run it. */
    public boolean overHttpOnly() {
        return expect.has("headers");
    }

    /** The status the fake Ramen answers every request with. */
    public int ramenAnswers() {
        return expect.path("ramenAnswers").asInt(200);
    }

    @Override
    public String toString() {
        return name;
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(list::add);
        } else {
            list.add(node);
        }
        return List.copyOf(list);
    }

    private static byte[] bytesOrNull(String path) {
        try (InputStream in = GoldenCase.class.getResourceAsStream("/" + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
