package io.segmentramen.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.signing.SecureMode;
import io.segmentramen.delivery.OutcomeLog;
import io.segmentramen.http.HttpAnswer;
import io.segmentramen.http.InboundRequest;
import io.segmentramen.json.Json;
import io.segmentramen.lambda.FailedEventsException;
import io.segmentramen.lambda.SegmentLambdaHandler;
import io.segmentramen.ramen.RamenReply;
import io.segmentramen.segment.BodyScanner;
import io.segmentramen.segment.RequestError;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.InProcess;
import io.segmentramen.testing.LambdaEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated-input properties on thousands of seeded batches per entry point: never an
 * exception or a 5xx unless Ramen failed; one result per element; an element's outcome does not
 * depend on the other elements of its batch; reports, outcome lines and payloads within the bounds
 * of {@link Invariants}; every Secure Mode hash verifies against the bytes sent. Seed: {@code -Dproperties.seed}
 * (CI default below), count: {@code -Dproperties.batches}.
 */
class InputPropertiesTest {

    static final long SEED = Long.getLong("properties.seed", 20_261_130L);
    static final int BATCHES = Integer.getInteger("properties.batches", 5000);
    static final Optional<String> SECRET = Optional.of("property-secret");

    private static final Logger OUTCOMES = Logger.getLogger(OutcomeLog.CATEGORY);
    private static final AtomicInteger OUTCOME_LINES = new AtomicInteger();
    private static final Handler MEASURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            OUTCOME_LINES.incrementAndGet();
            int bytes = String.valueOf(record.getMessage()).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > Invariants.MAX_RESULT_BYTES) {
                throw new AssertionError("an outcome line of " + bytes + " bytes");
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static boolean parentHandlers;

    @BeforeAll
    static void measureOutcomeLinesQuietly() {
        parentHandlers = OUTCOMES.getUseParentHandlers();
        OUTCOMES.setUseParentHandlers(false);
        OUTCOMES.addHandler(MEASURE);
    }

    @AfterAll
    static void restoreLogging() {
        OUTCOMES.removeHandler(MEASURE);
        OUTCOMES.setUseParentHandlers(parentHandlers);
    }

    /** Every tenth batch meets a Ramen that answers 503 to about half of the visitors. */
    private static AtomicInteger ramenFailures(InProcess pipeline, int n) {
        AtomicInteger failures = new AtomicInteger();
        boolean failing = n % 10 == 9;
        pipeline.ramen.answer(payload -> {
            if (failing && (Json.string(payload.path("user").path("id")).hashCode() & 1) == 1) {
                failures.incrementAndGet();
                return new RamenReply.Answered(503, "down", Optional.empty());
            }
            return new RamenReply.Answered(200, "", Optional.empty());
        });
        pipeline.ramen.received.clear();
        return failures;
    }

    private static InProcess pipeline() {
        return new InProcess(SECRET, SecureMode.optional, Optional.empty(), Clock.systemUTC());
    }

    /**
     * One generated batch as a property sees it: its number, its body, how many visitors the
     * fake Ramen failed so far (counted while the batch is sent) and a context for messages.
     */
    record Generated(int n, BatchGenerator.Batch batch, byte[] body, AtomicInteger failures, String context) {
        boolean ramenFailed() {
            return failures.get() > 0;
        }
    }

    /**
     * {@link #BATCHES} batches from the seed, each meeting {@link #ramenFailures}' Ramen, through
     * {@code check}; after each, everything the batch sent to Ramen must satisfy
     * {@link Invariants#sent}. Prints the entry point's throughput line.
     */
    private static void forEachGeneratedBatch(InProcess pipeline, long seed, String label, Consumer<Generated> check) {
        BatchGenerator generator = new BatchGenerator(seed);
        long started = System.nanoTime();
        int elements = 0;
        for (int n = 0; n < BATCHES; n++) {
            BatchGenerator.Batch batch = generator.next();
            AtomicInteger failures = ramenFailures(pipeline, n);
            byte[] body = batch.body();
            check.accept(new Generated(n, batch, body, failures, label + " batch " + n + " (seed " + seed + "): " + abbreviated(body)));
            Invariants.sent(new ArrayList<>(pipeline.ramen.received), SECRET);
            elements += batch.elements().size();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("properties[%s]: %d batches, %d elements, seed %d, %.1f s, %.0f batches/s, %d outcome lines measured%n",
                label, BATCHES, elements, seed, seconds, BATCHES / seconds, OUTCOME_LINES.get());
    }

    @Test
    void httpCore() {
        InProcess pipeline = pipeline();
        AtomicInteger compared = new AtomicInteger();
        AtomicInteger refusedWhole = new AtomicInteger();
        forEachGeneratedBatch(pipeline, SEED, "HTTP core", generated -> {
            HttpAnswer answer = post(pipeline, generated.body());
            String context = generated.context();
            assertTrue(answer.status() < 500 || generated.ramenFailed(), context + " → " + answer.status() + " " + answer.bodyText());
            JsonNode report = Fixtures.parse(answer.bodyText());
            BatchGenerator.Batch batch = generated.batch();
            if (report.has("error")) {
                refusedWhole.incrementAndGet();
                assertTrue(batch.elements().stream().anyMatch(e -> e.kind().equals("unclosed-deep")) || batch.shape() == BatchGenerator.Shape.SINGLE,
                        context + " refused whole: " + answer.bodyText());
                return;
            }
            Invariants.report(report, elementCount(generated.body()));
            if (generated.ramenFailed()) {
                return;
            }
            for (int i = 0; i < batch.elements().size() && batch.elements().size() > 1; i++) {
                HttpAnswer alone = post(pipeline, batch.alone(i));
                JsonNode aloneResult = Fixtures.parse(alone.bodyText()).path("results").path(0);
                JsonNode inBatch = report.path("results").path(i);
                assertEquals(aloneResult.path("status").asText(), inBatch.path("status").asText(), context + " element " + i);
                assertEquals(aloneResult.path("reason").asText(), inBatch.path("reason").asText(), context + " element " + i);
                compared.incrementAndGet();
            }
        });
        System.out.printf("properties[HTTP core]: elements compared alone vs in batch: %d, bodies refused whole: %d%n", compared.get(), refusedWhole.get());
        assertTrue(compared.get() > 0, "the independence property compared elements of some batches");
    }

    @Test
    void directLambda() {
        InProcess pipeline = pipeline();
        SegmentLambdaHandler handler = pipeline.lambdaHandler();
        forEachGeneratedBatch(pipeline, SEED + 1, "direct Lambda", generated -> {
            Object out = pipeline.invoke(handler, generated.body());
            if (out instanceof Throwable thrown) {
                assertTrue(thrown instanceof FailedEventsException && generated.ramenFailed(), generated.context() + " threw " + thrown);
                return;
            }
            JsonNode json = (JsonNode) out;
            if (!json.has("error")) {
                Invariants.report(json, elementCount(generated.body()));
            }
        });
    }

    @Test
    void sqs() {
        InProcess pipeline = pipeline();
        SegmentLambdaHandler handler = pipeline.lambdaHandler();
        forEachGeneratedBatch(pipeline, SEED + 2, "SQS", generated -> {
            String record = "r" + generated.n();
            String text = new String(generated.body(), StandardCharsets.UTF_8);
            Object out = pipeline.invoke(handler, LambdaEvents.sqs(new LambdaEvents.SqsRecord(record, text)).getBytes(StandardCharsets.UTF_8));
            String context = generated.context();
            assertFalse(out instanceof Throwable, () -> context + " threw " + out);
            JsonNode failed = ((JsonNode) out).path("batchItemFailures");
            assertTrue(failed.size() <= 1, context);
            if (failed.size() == 1) {
                assertEquals(record, failed.get(0).path("itemIdentifier").asText());
            }
            if (!generated.ramenFailed()) {
                // a record is listed only when one of its events failed, and nothing failed (malformed
                // records may be listed too, as malformed_record: then the body was refused whole)
                assertTrue(failed.isEmpty() || refusedWhole(generated.body()), context + " listed " + failed);
            }
        });
    }

    @Test
    void apiGateway() {
        InProcess pipeline = pipeline();
        SegmentLambdaHandler handler = pipeline.lambdaHandler();
        forEachGeneratedBatch(pipeline, SEED + 3, "API Gateway v1/v2", generated -> {
            int n = generated.n();
            byte[] body = generated.body();
            boolean v1 = n % 2 == 0;
            boolean base64 = n % 4 < 2;
            ObjectNode event = (ObjectNode) Fixtures.parse(v1 ? LambdaEvents.apiGatewayV1("POST", Map.of("Content-Type", "application/json"), "")
                    : LambdaEvents.apiGatewayV2("POST", Map.of("Content-Type", "application/json"), new byte[0]));
            event.put("body", base64 ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
            event.put("isBase64Encoded", base64);
            Object out = pipeline.invoke(handler, Json.bytes(event));
            String context = generated.context();
            assertFalse(out instanceof Throwable, () -> context + " threw " + out);
            JsonNode response = (JsonNode) out;
            int status = response.path("statusCode").asInt();
            assertTrue(status < 500 || generated.ramenFailed(), context + " → " + response);
            JsonNode report = Fixtures.parse(response.path("body").asText());
            if (!report.has("error") && base64) {
                Invariants.report(report, elementCount(body));
            }
        });
    }

    private static HttpAnswer post(InProcess pipeline, byte[] body) {
        return pipeline.http.handle(new InboundRequest("POST", Map.of("Content-Type", "application/json"), body, Instant.now(), null));
    }

    private static int elementCount(byte[] body) {
        try {
            return BodyScanner.outline(body, InProcess.MAX_BATCH_EVENTS).elementCount();
        } catch (RequestError e) {
            throw new AssertionError("a report for a body pass 1 refuses");
        }
    }

    private static boolean refusedWhole(byte[] body) {
        try {
            BodyScanner.outline(body, InProcess.MAX_BATCH_EVENTS);
            return false;
        } catch (RequestError e) {
            return true;
        }
    }

    private static String abbreviated(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() < 600 ? text : text.substring(0, 600) + "…";
    }
}
