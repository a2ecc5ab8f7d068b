package io.segmentramen.idempotency;

import java.nio.charset.StandardCharsets;

import io.segmentramen.testing.Fixtures;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.delivery.EventResult;
import io.segmentramen.delivery.Report;
import io.segmentramen.outcome.Status;
import io.segmentramen.ramen.RamenClient;
import io.segmentramen.ramen.RamenReply;
import io.segmentramen.testing.InProcess;
import io.segmentramen.testing.MotoServer;
import io.segmentramen.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two function instances — two independently wired pipelines in this JVM, each with its own
 * in-memory cache — behind a round-robin, Segment resending a batch to the next instance whenever
 * its answer was a failure or was lost on Segment's side, and a Ramen failing 20 % of requests (half
 * before processing them, half after: processed, the answer lost). With the shared idempotency table
 * Ramen receives a messageId twice only where it processed a request whose answer was lost; without
 * it, resends of delivered events reach Ramen again.
 */
class TwoInstancesTest {

    private static final long SEED = 20261206L;
    private static final int EVENTS = 600;
    private static final int BATCH = 20;
    /** How often Segment's side loses the function's answer (a timeout) and resends a batch that was delivered. */
    private static final double SEGMENT_LOSES_ANSWER = 0.15;

    /** Ramen failing 20 % of requests: 10 % refused unprocessed (503), 10 % processed with the answer lost (a timeout). */
    static final class LossyRamen implements RamenClient {
        private final Random random = new Random(SEED);
        final Map<String, Integer> received = new HashMap<>();
        final Set<String> answerLost = new HashSet<>();
        int requests;

        @Override
        public synchronized CompletionStage<RamenReply> sendAsync(byte[] bytes, Duration timeout) {
            requests++;
            JsonNode payload = Fixtures.parse(new String(bytes, StandardCharsets.UTF_8));
            double roll = random.nextDouble();
            if (roll < 0.10) {
                return CompletableFuture.completedFuture(new RamenReply.Answered(503, "", Optional.empty()));
            }
            String messageId = payload.path("message_id").asText();
            received.merge(messageId, 1, Integer::sum);
            if (roll < 0.20) {
                answerLost.add(messageId);
                return CompletableFuture.completedFuture(new RamenReply.TimedOut());
            }
            return CompletableFuture.completedFuture(new RamenReply.Answered(200, "", Optional.empty()));
        }
    }

    record Run(int duplicates, int duplicatesAfterLostAnswer, int resends, int undelivered, int ramenRequests, long tableRequests) {
        int unexplained() {
            return duplicates - duplicatesAfterLostAnswer;
        }
    }

    private static Run run(boolean withTable) throws Exception {
        LossyRamen ramen = new LossyRamen();
        MutableClock clock = new MutableClock();
        try (MotoServer moto = MotoServer.start()) {
            // generous attempt timeouts here: the 250 ms budget is IdempotencyTableTest's, timing stays out of this count
            DynamoDbApi dynamo = moto.admin();
            clock.fixAt(java.time.Instant.parse("2026-03-01T10:00:00Z"));
            moto.createTable("idempotency");
            List<InProcess> instances = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                instances.add(new InProcess(ramen, clock, duration -> CompletableFuture.completedFuture(null), pipeline -> withTable
                        ? pipeline.withTable(new IdempotencyTable(dynamo, "idempotency", Duration.ofHours(24), clock), true)
                        : pipeline));
            }
            Random segment = new Random(SEED + 1);
            int next = 0;
            int resends = 0;
            Set<String> undelivered = new HashSet<>();
            for (int start = 0; start < EVENTS; start += BATCH) {
                List<String> ids = new ArrayList<>();
                for (int i = start; i < start + BATCH; i++) {
                    ids.add("m-" + i);
                }
                boolean done = false;
                for (int attempt = 0; attempt < 12 && !done; attempt++) {
                    if (attempt > 0) {
                        resends++;
                        clock.advance(Duration.ofSeconds(10)); // Segment's backoff: past any claim's deadline
                    }
                    Report report = IdempotencyTableTest.sendBatch(instances.get(next++ % 2), ids);
                    boolean failed = report.results().stream().anyMatch(result -> result.status() == Status.FAILED);
                    done = !failed && segment.nextDouble() >= SEGMENT_LOSES_ANSWER;
                    if (attempt == 11) {
                        report.results().stream().filter(result -> result.status() == Status.FAILED).map(EventResult::messageId)
                                .forEach(undelivered::add);
                    }
                }
            }
            int duplicates = 0;
            int afterLostAnswer = 0;
            for (Map.Entry<String, Integer> received : ramen.received.entrySet()) {
                if (received.getValue() > 1) {
                    duplicates++;
                    if (ramen.answerLost.contains(received.getKey())) {
                        afterLostAnswer++;
                    }
                }
            }
            assertEquals(EVENTS, ramen.received.size(), "every event reached Ramen");
            return new Run(duplicates, afterLostAnswer, resends, undelivered.size(), ramen.requests, moto.requestsServed());
        }
    }

    @Test
    void theTableLeavesOnlyTheDuplicatesOfLostAnswers() throws Exception {
        Run with = run(true);
        Run without = run(false);
        Files.writeString(Path.of("target", "idempotency-two-instances.txt"), "with table: " + with + "\nwithout table: " + without + "\n");
        assertEquals(0, with.unexplained(), () -> "with the table, every duplicate follows an answer Ramen lost: " + with);
        assertEquals(0, with.undelivered());
        assertTrue(without.unexplained() > 0, () -> "without the table, resends to the other instance reach Ramen again: " + without);
    }
}
