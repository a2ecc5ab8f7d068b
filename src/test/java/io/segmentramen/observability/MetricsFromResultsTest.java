package io.segmentramen.observability;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.delivery.OutcomeLog;
import io.segmentramen.lambda.SegmentLambdaHandler;
import io.segmentramen.ramen.RamenReply;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.InProcess;
import io.segmentramen.testing.LambdaEvents;
import io.segmentramen.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EMF line of a request is what the request produced, counted: its outcome lines (one per
 * event), the records it sent back to the queue, the request it refused — one line per invocation,
 * whichever entry point, and {@code ColdStart} on the first only.
 */
class MetricsFromResultsTest {

    private static final String BATCH = "{\"batch\":["
            + "{\"type\":\"track\",\"event\":\"Ordered\",\"userId\":\"u1\",\"messageId\":\"ok-1\"},"
            + "{\"type\":\"track\",\"event\":\"Ordered\",\"userId\":\"u2\",\"messageId\":\"refused-by-ramen\"},"
            + "{\"type\":\"track\",\"event\":\"Ordered\",\"userId\":\"u3\",\"messageId\":\"unauthorized-at-ramen\"},"
            + "{\"type\":\"track\",\"event\":\"Ordered\",\"messageId\":\"no-user\"},"
            + "{\"type\":\"track\",\"event\":\"Ordered\",\"userId\":\"u1\",\"messageId\":\"ok-1\"}]}";

    /** With the deployed dedup cache, so that the repeated messageId is skipped. */
    private final InProcess pipeline = new InProcess(new InProcess.RecordingRamen(), Clock.systemUTC(),
            delay -> CompletableFuture.completedFuture(null));
    private final SegmentLambdaHandler handler = pipeline.lambdaHandler();

    MetricsFromResultsTest() {
        pipeline.ramen.answer(payload -> {
            sleep(); // a delivery time above 0 ms, so that the latency sums mean something
            String id = payload.path("message_id").asText();
            return new RamenReply.Answered(id.equals("refused-by-ramen") ? 400 : id.equals("unauthorized-at-ramen") ? 401 : 200, "",
                    Optional.empty());
        });
    }

    @Test
    void aDirectInvocationsMetricsAreItsOutcomeLinesCounted() {
        List<String> outcomeLines;
        JsonNode metrics;
        try (LogCapture outcomes = LogCapture.on(OutcomeLog.CATEGORY); LogCapture emf = LogCapture.on(MetricsEmitter.CATEGORY)) {
            pipeline.invoke(handler, BATCH.getBytes(StandardCharsets.UTF_8));
            outcomeLines = outcomes.text().lines().map(line -> line.substring(line.indexOf('{'))).toList();
            metrics = emf.metricsLine();
        }
        assertEquals(5, outcomeLines.size(), String.join("\n", outcomeLines));
        int attempts = 0;
        long latencySum = 0;
        long latencyMax = 0;
        int[] byStatus = new int[4];
        List<String> statuses = List.of("delivered", "skipped", "rejected", "failed");
        for (String text : outcomeLines) {
            JsonNode line = Fixtures.parse(text);
            byStatus[statuses.indexOf(line.path("status").asText())]++;
            if (line.path("attempts").asInt() > 0) {
                attempts += line.path("attempts").asInt();
                latencySum += line.path("latencyMs").asLong();
                latencyMax = Math.max(latencyMax, line.path("latencyMs").asLong());
            }
        }
        assertEquals(List.of(1, 1, 2, 1), List.of(byStatus[0], byStatus[1], byStatus[2], byStatus[3]), "the batch as designed");
        assertEquals(byStatus[0], metrics.path("Delivered").asInt());
        assertEquals(byStatus[1], metrics.path("Skipped").asInt());
        assertEquals(byStatus[2], metrics.path("Rejected").asInt());
        assertEquals(byStatus[3], metrics.path("Failed").asInt());
        assertEquals(1, metrics.path("Failed_ramen_unauthorized").asInt());
        assertEquals(1, metrics.path("ConfigurationErrors").asInt());
        assertEquals(1, metrics.path("Rejected_ramen_rejected").asInt(), metrics::toString);
        assertEquals(1, metrics.path("Rejected_missing_identity").asInt(), metrics::toString);
        assertEquals(1, metrics.path("Skipped").asInt());
        assertEquals(attempts, metrics.path("Attempts").asInt());
        assertEquals(attempts, metrics.path("RamenRequests").asInt());
        assertTrue(latencySum >= 3, "deliveries took time: " + latencySum);
        assertEquals(latencySum, metrics.path("RamenLatencySum").asLong());
        assertEquals(latencyMax, metrics.path("RamenLatencyMax").asLong());
    }

    @Test
    void anSqsBatchCountsTheRecordsItSendsBackAndTheEventsOfTheOthersInOneLine() {
        String event = LambdaEvents.sqs(new LambdaEvents.SqsRecord("record-1", "{\"batch\": [ not json"),
                new LambdaEvents.SqsRecord("record-2", "{\"type\":\"track\",\"event\":\"Ordered\",\"userId\":\"u1\",\"messageId\":\"ok-1\"}"),
                new LambdaEvents.SqsRecord("record-3", "{\"type\":\"track\",\"event\":\"Ordered\",\"userId\":\"u1\",\"messageId\":\"ok-2\"}"));
        JsonNode metrics;
        try (LogCapture emf = LogCapture.on(MetricsEmitter.CATEGORY)) {
            pipeline.invoke(handler, event.getBytes(StandardCharsets.UTF_8));
            metrics = emf.metricsLine();
        }
        assertEquals(2, metrics.path("Delivered").asInt(), metrics::toString);
        assertEquals(1, metrics.path("Failed").asInt(), metrics::toString);
        assertEquals(1, metrics.path("Failed_malformed_record").asInt(), metrics::toString);
        assertEquals(2, metrics.path("Attempts").asInt(), metrics::toString);
    }

    @Test
    void aRefusedInvocationIsCountedAsRefusedWithItsCode() {
        JsonNode metrics;
        try (LogCapture emf = LogCapture.on(MetricsEmitter.CATEGORY)) {
            pipeline.invoke(handler, "{\"batch\": []}".getBytes(StandardCharsets.UTF_8));
            metrics = emf.metricsLine();
        }
        assertEquals(1, metrics.path("Refused").asInt(), metrics::toString);
        assertEquals(1, metrics.path("Refused_no_events").asInt(), metrics::toString);
        assertEquals(0, metrics.path("Delivered").asInt() + metrics.path("Failed").asInt(), metrics::toString);
    }

    @Test
    void onlyTheFirstInvocationOfAnInstanceIsAColdStart() {
        String single = "{\"type\":\"track\",\"event\":\"Ordered\",\"userId\":\"u1\",\"messageId\":\"cold-%d\"}";
        for (int i = 0; i < 3; i++) {
            try (LogCapture emf = LogCapture.on(MetricsEmitter.CATEGORY)) {
                pipeline.invoke(handler, String.format(single, i).getBytes(StandardCharsets.UTF_8));
                JsonNode metrics = emf.metricsLine();
                assertEquals(i == 0 ? 1 : 0, metrics.path("ColdStart").asInt(), "invocation " + i + ": " + metrics);
                assertEquals(1, metrics.path("Delivered").asInt(), metrics::toString);
            }
        }
        assertFalse(pipeline.ramen.payloads().isEmpty());
    }

    private static void sleep() {
        try {
            Thread.sleep(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
