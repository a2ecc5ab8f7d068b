package io.segmentramen.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.bench.EventSamples;
import io.segmentramen.delivery.OutcomeLog;
import io.segmentramen.lambda.SegmentLambdaHandler;
import io.segmentramen.observability.MetricsEmitter;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.InProcess;
import io.segmentramen.testing.LambdaContext;
import io.segmentramen.testing.LambdaEvents;
import io.segmentramen.testing.LambdaEvents.SqsRecord;
import io.segmentramen.testing.SlowCpuClock;
import io.segmentramen.testing.SlowRamen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deadlines hold whatever the batch (docs/CONTRACT.md §5): the largest batches the limits allow, on
 * a CPU 6.7 times slower than this one (a quota of 15 % of a core, what a 256 MB Lambda has; see
 * {@link SlowCpuClock}), with Ramen answering after 400 ms or never. The invocation returns before
 * Lambda's timeout on that clock, with its answer — the SQS consumer's batchItemFailures, the HTTP
 * report — its outcome line for every event and its metrics line; a record is listed exactly when
 * one of its events was not delivered.
 */
class BigBatchDeadlineTest {

    private static final double QUOTA_OF_15_PERCENT = 1 / 0.15;
    private static final int RECORDS = 10;
    private static final int EVENTS_PER_RECORD = 900;
    private static final int HTTP_EVENTS = 4000;

    /** The raw outcome and metrics lines of one invocation, kept instead of printed (thousands of them). */
    private static final class Lines extends Handler implements AutoCloseable {
        final ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> metrics = new ConcurrentLinkedQueue<>();
        private final List<Logger> loggers = List.of(Logger.getLogger(OutcomeLog.CATEGORY), Logger.getLogger(MetricsEmitter.CATEGORY));
        private final Map<Logger, Handler[]> replaced = new java.util.HashMap<>();

        Lines() {
            for (Logger logger : loggers) {
                replaced.put(logger, logger.getHandlers());
                for (Handler handler : logger.getHandlers()) {
                    logger.removeHandler(handler);
                }
                logger.setUseParentHandlers(false);
                logger.addHandler(this);
            }
        }

        @Override
        public void publish(LogRecord record) {
            (record.getLoggerName().equals(OutcomeLog.CATEGORY) ? outcomes : metrics).add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            for (Logger logger : loggers) {
                logger.removeHandler(this);
                for (Handler handler : replaced.get(logger)) {
                    logger.addHandler(handler);
                }
                logger.setUseParentHandlers(true);
            }
        }
    }

    /** What an invocation took on the slow clock, and what it answered and logged. */
    private record Run(Duration took, JsonNode answer, List<JsonNode> outcomes, List<JsonNode> metrics) {
    }

    private static Run invoke(SlowCpuClock clock, InProcess pipeline, byte[] event, Duration timeout) {
        SegmentLambdaHandler handler = pipeline.lambdaHandler();
        try (Lines lines = new Lines()) {
            Instant start = clock.instant();
            Object answer = pipeline.invoke(handler, event, LambdaContext.timingOutIn(clock, timeout));
            Duration took = Duration.between(start, clock.instant());
            assertInstanceOf(JsonNode.class, answer, () -> "the handler ended in " + answer);
            return new Run(took, (JsonNode) answer, lines.outcomes.stream().map(Fixtures::parse).toList(),
                    lines.metrics.stream().map(Fixtures::parse).toList());
        }
    }

    /** {@code records} SQS records of {@code events} identify events each; {@code recordOf} gets each messageId's record. */
    private static byte[] sqsEvent(int records, int events, Map<String, String> recordOf) {
        List<SqsRecord> list = new ArrayList<>();
        String run = Long.toString(System.nanoTime(), 36);
        for (int r = 0; r < records; r++) {
            List<String> batch = new ArrayList<>();
            for (int e = 0; e < events; e++) {
                String messageId = "m-" + run + "-" + r + "-" + e;
                batch.add(EventSamples.identify("u-" + run + "-" + r + "-" + e, messageId));
                recordOf.put(messageId, "rec-" + r);
            }
            list.add(new SqsRecord("rec-" + r, "[" + String.join(",", batch) + "]"));
        }
        return LambdaEvents.sqs(list.toArray(SqsRecord[]::new)).getBytes(StandardCharsets.UTF_8);
    }

    /** An API Gateway request of {@code events} identify events, arriving now. */
    private static byte[] apiGatewayEvent(int events, SlowCpuClock clock) {
        List<String> batch = new ArrayList<>();
        String run = Long.toString(System.nanoTime(), 36);
        for (int e = 0; e < events; e++) {
            batch.add(EventSamples.identify("u-" + run + "-" + e, "m-" + run + "-" + e));
        }
        return LambdaEvents.apiGatewayV2("POST", Map.of("Content-Type", "application/json"),
                ("[" + String.join(",", batch) + "]").getBytes(StandardCharsets.UTF_8), clock.millis()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The code paths compiled first, as in a native executable or a warm instance: otherwise the
     * first invocation of this JVM measures its just-in-time compiler on a slowed clock.
     */
    @BeforeAll
    static void warmUp() {
        try (SlowCpuClock clock = new SlowCpuClock(1)) {
            for (int round = 0; round < 3; round++) {
                InProcess pipeline = new InProcess(new SlowRamen(clock, Duration.ofMillis(1)), clock, clock.sleeper());
                invoke(clock, pipeline, sqsEvent(2, 500, new java.util.HashMap<>()), Duration.ofSeconds(60));
                invoke(clock, pipeline, apiGatewayEvent(1000, clock), Duration.ofSeconds(60));
                InProcess silent = new InProcess(new SlowRamen(clock, null), clock, clock.sleeper());
                invoke(clock, silent, apiGatewayEvent(1000, clock), Duration.ofMillis(1500));
            }
        }
    }

    private static Duration latency(String ramen) {
        return ramen.equals("silent") ? null : Duration.ofMillis(400);
    }

    /** 10 records of 900 identify events each (20 traits: more mapped payload than is kept in memory), Lambda's 60 s timeout. */
    @ParameterizedTest(name = "Ramen {0}, Lambda timeout {1} s")
    @CsvSource({"slow, 60", "silent, 60", "silent, 5"})
    void sqsBatchOfTenRecordsOf900EventsAnswersBeforeTheTimeout(String ramenMode, int timeoutSeconds) {
        try (SlowCpuClock clock = new SlowCpuClock(QUOTA_OF_15_PERCENT)) {
            SlowRamen ramen = new SlowRamen(clock, latency(ramenMode));
            InProcess pipeline = new InProcess(ramen, clock, clock.sleeper());
            Map<String, String> recordOf = new java.util.HashMap<>();
            byte[] event = sqsEvent(RECORDS, EVENTS_PER_RECORD, recordOf);
            Duration timeout = Duration.ofSeconds(timeoutSeconds);

            Run result = invoke(clock, pipeline, event, timeout);

            assertTrue(result.took().compareTo(timeout) < 0, "returned after " + result.took().toMillis() + " ms of a "
                    + timeout.toMillis() + " ms timeout (on a CPU with 15 % of this one's speed)");
            Set<String> notDelivered = new LinkedHashSet<>();
            recordOf.forEach((messageId, record) -> {
                if (!ramen.delivered.contains(messageId)) {
                    notDelivered.add(record);
                }
            });
            Set<String> listed = new HashSet<>();
            result.answer().path("batchItemFailures").forEach(failure -> listed.add(failure.path("itemIdentifier").asText()));
            assertEquals(notDelivered, listed, "listed: exactly the records holding an event Ramen did not take");
            assertEveryEventReported(result, RECORDS * EVENTS_PER_RECORD, ramen);
            if (latency(ramenMode) != null) {
                assertFalse(ramen.delivered.isEmpty(), "a slow Ramen still gets events");
            }
        }
    }

    /** 4 000 identify events through API Gateway, Lambda's timeout equal to RAMEN_DEADLINE (4 s): the function stops before its own timeout. */
    @ParameterizedTest(name = "Ramen {0}")
    @CsvSource({"slow", "silent"})
    void httpBatchOf4000EventsAnswersBeforeTheTimeout(String ramenMode) {
        try (SlowCpuClock clock = new SlowCpuClock(QUOTA_OF_15_PERCENT)) {
            SlowRamen ramen = new SlowRamen(clock, latency(ramenMode));
            InProcess pipeline = new InProcess(ramen, clock, clock.sleeper());
            byte[] event = apiGatewayEvent(HTTP_EVENTS, clock);
            Duration timeout = Duration.ofSeconds(4);

            Run result = invoke(clock, pipeline, event, timeout);

            assertTrue(result.took().compareTo(timeout) < 0, "returned after " + result.took().toMillis() + " ms of a "
                    + timeout.toMillis() + " ms timeout (on a CPU with 15 % of this one's speed)");
            assertEquals(503, result.answer().path("statusCode").asInt(), () -> result.answer().toString().substring(0, 300));
            JsonNode report = Fixtures.parse(result.answer().path("body").asText());
            assertEquals(HTTP_EVENTS, report.path("results").size(), "one result per event");
            assertEquals(ramen.delivered.size(), report.path("delivered").asInt());
            assertEquals(HTTP_EVENTS - ramen.delivered.size(), report.path("failed").asInt());
            for (JsonNode line : report.path("results")) {
                assertEquals(ramen.delivered.contains(line.path("messageId").asText()), line.path("status").asText().equals("delivered"),
                        line::toString);
            }
            assertEveryEventReported(result, HTTP_EVENTS, ramen);
        }
    }

    /** One outcome line per event (delivered exactly for what Ramen took), and the metrics line counting them all. */
    private static void assertEveryEventReported(Run result, int events, SlowRamen ramen) {
        assertEquals(events, result.outcomes().size(), "an outcome line per event");
        Set<String> deliveredLines = new HashSet<>();
        for (JsonNode line : result.outcomes()) {
            if (line.path("status").asText().equals("delivered")) {
                deliveredLines.add(line.path("messageId").asText());
            } else {
                assertEquals("failed", line.path("status").asText(), line::toString);
            }
        }
        assertEquals(ramen.delivered, deliveredLines);
        assertEquals(1, result.metrics().size(), "the metrics line");
        JsonNode metrics = result.metrics().get(0);
        assertEquals(events, metrics.path("Delivered").asInt() + metrics.path("Failed").asInt(), metrics::toString);
    }
}
