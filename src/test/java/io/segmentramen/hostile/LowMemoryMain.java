package io.segmentramen.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.http.HttpAnswer;
import io.segmentramen.http.InboundRequest;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.InProcess;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Run by {@link LowMemoryTest} in a JVM of its own under {@code -Xmx64m}: builds one ~6 MB hostile
 * body (named by the argument), posts it through the whole HTTP core with an in-process Ramen that
 * keeps nothing, and prints one line of figures. Any OutOfMemoryError ends the JVM with an error.
 */
public final class LowMemoryMain {

    /** Held: a JUL logger nobody references may be collected, and its level with it. */
    private static final Logger QUIET = Logger.getLogger("io.segmentramen");

    public static void main(String[] args) {
        QUIET.setLevel(Level.OFF);
        byte[] body = body(args[0]);
        InProcess pipeline = InProcess.open(Clock.systemUTC());
        pipeline.ramen.recording = false;
        HttpAnswer answer = pipeline.http.handle(new InboundRequest("POST", Map.of("Content-Type", "application/json"), body,
                Instant.now(), null));
        JsonNode report = Fixtures.parse(answer.bodyText());
        Runtime runtime = Runtime.getRuntime();
        System.out.printf("case=%s bodyBytes=%d status=%d delivered=%d rejected=%d results=%d reportBytes=%d ramenRequests=%d"
                        + " largestPayload=%d maxHeap=%d%n",
                args[0], body.length, answer.status(), report.path("delivered").asInt(), report.path("rejected").asInt(),
                report.path("results").size(), answer.body().length, pipeline.ramen.requests.get(), pipeline.ramen.largestPayload.get(),
                runtime.maxMemory());
    }

    static byte[] body(String name) {
        StringBuilder body = new StringBuilder(6_300_000);
        switch (name) {
            case "envelope" -> {
                // {"batch": [{} ×4000], "context": <5 MB>}: once deep-copied into every event
                body.append("{\"batch\":[");
                for (int i = 0; i < 4000; i++) {
                    body.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u").append(i).append("\"}");
                }
                body.append("],\"context\":{");
                for (int i = 0; body.length() < 6_200_000; i++) {
                    body.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":{\"v\":[").append(i).append(",\"x\"]}");
                }
                body.append("}}");
            }
            case "amplification" -> {
                // 31.5 KB identifies whose long trait key holds 2 000 empty arrays, as many as fit
                body.append('[');
                for (int e = 0; body.length() < 6_200_000; e++) {
                    body.append(e == 0 ? "" : ",").append("{\"type\":\"identify\",\"userId\":\"u").append(e).append("\",\"messageId\":\"m")
                            .append(e).append("\",\"traits\":{\"").append("k".repeat(11_000)).append("\":{");
                    for (int i = 0; i < 2000; i++) {
                        body.append(i == 0 ? "" : ",").append('"').append(i).append("\":[]");
                    }
                    body.append("}}}");
                }
                body.append(']');
            }
            case "payloads" -> {
                // 4 000 accepted events whose flattened keys repeat a 120-character parent: ~20 KB payloads each
                body.append('[');
                for (int e = 0; e < 4000; e++) {
                    body.append(e == 0 ? "" : ",").append("{\"type\":\"identify\",\"userId\":\"u").append(e).append("\",\"messageId\":\"m")
                            .append(e).append("\",\"traits\":{\"").append("p".repeat(120)).append("\":{");
                    for (int i = 0; i < 160; i++) {
                        body.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":1");
                    }
                    body.append("}}}");
                }
                body.append(']');
            }
            case "deep" -> {
                // 4 000 elements, each nested as deep as its share of 6 MB allows
                body.append('[');
                int depth = 6_000_000 / 4000 / 2 - 2;
                for (int e = 0; e < 4000; e++) {
                    body.append(e == 0 ? "" : ",").append("[".repeat(depth)).append("]".repeat(depth));
                }
                body.append(']');
            }
            default -> throw new IllegalArgumentException(name);
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
