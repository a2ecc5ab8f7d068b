package io.segmentramen.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.signing.SecureMode;
import io.segmentramen.http.HttpAnswer;
import io.segmentramen.http.InboundRequest;
import io.segmentramen.segment.BodyScanner;
import io.segmentramen.segment.RequestError;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.InProcess;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole HTTP core ({@code POST /events} without a framework) with an in-process fake Ramen
 * answering 200 and a Secure Mode secret: never a 5xx, one result per element, bounded results and
 * payloads, and every hash verifies against the bytes Ramen received.
 */
class HttpCoreFuzzTest {

    static final Optional<String> SECRET = Optional.of("fuzz-secret");
    /** Outcome lines off while fuzzing (JAZZER_FUZZ=1 only) (thousands per second on the console); held so the level sticks. */
    private static final java.util.logging.Logger QUIET = quiet();
    private static final InProcess PIPELINE = new InProcess(SECRET, SecureMode.optional, Optional.empty(), Clock.systemUTC());

    @FuzzTest(maxDuration = "60s")
    void post(FuzzedDataProvider data) {
        String contentType = data.consumeBoolean() ? "application/json" : data.consumeString(60);
        boolean gzip = data.consumeBoolean();
        byte[] body = data.consumeRemainingAsBytes();
        PIPELINE.ramen.received.clear();
        // gzip-compressed, the same body must get the same kind of answer (the report counts its elements)
        Map<String, String> headers = gzip ? Map.of("Content-Type", contentType, "Content-Encoding", "gzip") : Map.of("Content-Type", contentType);
        byte[] sent = gzip && body.length > 0 ? gzip(body) : body;
        HttpAnswer answer = PIPELINE.http.handle(new InboundRequest("POST", headers, sent, Instant.now(), null));
        check(answer, body);
        Invariants.sent(new ArrayList<>(PIPELINE.ramen.received), SECRET);
    }

    static void check(HttpAnswer answer, byte[] body) {
        assertTrue(answer.status() < 500, () -> answer.status() + " " + answer.bodyText());
        JsonNode json = Fixtures.parse(answer.bodyText());
        if (json.has("error")) {
            assertTrue(REFUSALS.contains(answer.status()), answer.bodyText());
            return;
        }
        int elements;
        try {
            elements = BodyScanner.outline(body, InProcess.MAX_BATCH_EVENTS).elementCount();
        } catch (RequestError e) {
            throw new AssertionError("a report for a body pass 1 refuses: " + e.code());
        }
        Invariants.report(json, elements);
        if (answer.status() == 200) {
            assertEquals(0, json.path("failed").asInt());
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final java.util.Set<Integer> REFUSALS = java.util.Set.of(400, 401, 405, 413, 415);

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.segmentramen");
        if (System.getenv("JAZZER_FUZZ") != null) { // a JVM of its own: other tests' log capture is not disturbed
            logger.setLevel(java.util.logging.Level.OFF);
        }
        return logger;
    }
}
