package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.lambda.SegmentLambdaHandler;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.InProcess;
import io.segmentramen.testing.LambdaEvents;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Output is bounded whatever the input: a report never exceeds {@link Report#MAX_BYTES}, so that the
 * Lambda response (at most 6 MB, the report escaped inside API Gateway's response) is never refused,
 * and every event keeps its result, in order, with its status and reason.
 */
class ReportSizeTest {

    private static final int LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;
    private static final String SUMMARY_OF_20 = "20 warnings left out of this report (too large as a whole); this event's log line lists them";

    @Test
    void aReportThatFitsIsSentWhole() {
        Report report = Report.of(List.of(
                delivered(0, "m0", List.of("traits.tags is an array; dropped")),
                new EventResult(1, "m1", "identify", new EventOutcome.Rejected(new Rejection(Reason.INVALID_EMAIL, "traits.email is not an email address"), 0, null),
                        List.of(), 0)));

        ObjectNode json = written(report);

        assertEquals(report.toJson(EventResult.Detail.FULL), json);
        assertEquals("traits.tags is an array; dropped", json.at("/results/0/warnings/0").asText());
        assertEquals("traits.email is not an email address", json.at("/results/1/message").asText());
    }

    @Test
    void manyWarningsAreCountedInsteadOfListed() {
        List<String> warnings = IntStream.range(0, 20).mapToObj(i -> "traits." + "k".repeat(48) + i + " is an array; dropped").toList();
        Report report = Report.of(IntStream.range(0, 4000).mapToObj(i -> delivered(i, "message-" + i, warnings)).toList());
        assertTrue(Json.byteCount(report.toJson(EventResult.Detail.FULL)) > Report.MAX_BYTES, "the case must exceed the limit at full detail");

        ObjectNode json = written(report);

        assertTrue(Json.bytes(json).length <= Report.MAX_BYTES);
        assertEquals(4000, json.get("delivered").asInt());
        assertEveryEventInOrder(report, json);
        for (int i = 0; i < 4000; i++) {
            JsonNode result = json.get("results").get(i);
            assertEquals("message-" + i, result.get("messageId").asText());
            assertEquals("[\"" + SUMMARY_OF_20 + "\"]", result.get("warnings").toString());
        }
    }

    @Test
    void hostileTextsLeaveIndexStatusAndReason() {
        String controlCharacters = "\u0001".repeat(100); // 6 bytes each in JSON
        Report report = Report.of(IntStream.range(0, 4000).mapToObj(i -> new EventResult(i, controlCharacters, "t".repeat(20_000),
                new EventOutcome.Rejected(new Rejection(Reason.UNKNOWN_TYPE, "x".repeat(2000)), 0, null), List.of("w".repeat(3000)), 0)).toList());

        ObjectNode json = written(report);

        assertTrue(Json.bytes(json).length <= Report.MAX_BYTES);
        assertEveryEventInOrder(report, json);
        for (JsonNode result : json.get("results")) {
            List<String> fields = new ArrayList<>();
            result.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("index", "status", "reason"), fields);
        }
    }

    @Test
    void aDryRunTooLargeWithItsPayloadsIsSentWithoutThem() {
        List<EventResult> results = IntStream.range(0, 200).mapToObj(i -> delivered(i, "dry-" + i, List.of())).toList();
        List<ObjectNode> payloads = IntStream.range(0, 200).mapToObj(i -> Json.object().put("message_id", "dry-" + i)
                .put("filler", "f".repeat(20_000))).toList();
        DryRunReport small = new DryRunReport(Report.of(results.subList(0, 2)), payloads.subList(0, 2));
        DryRunReport large = new DryRunReport(Report.of(results), payloads);

        ObjectNode whole = written(small);
        ObjectNode bounded = written(large);

        assertEquals("dry-1", whole.at("/results/1/payload/message_id").asText());
        assertTrue(Json.bytes(bounded).length <= Report.MAX_BYTES);
        assertTrue(bounded.get("dryRun").asBoolean());
        assertEveryEventInOrder(large.report(), bounded);
        bounded.get("results").forEach(result -> assertTrue(!result.has("payload") && result.get("messageId").asText().startsWith("dry-")));
    }

    /** Property: whatever the results, the report fits, keeps every event, and is whole whenever whole would fit. */
    @Test
    void everyGeneratedReportFitsAndIsReducedOnlyWhenItMustBe() {
        Random random = new Random(20261130);
        int reduced = 0;
        for (int trial = 0; trial < 40; trial++) {
            int events = random.nextInt(4001);
            int textLength = random.nextInt(trial % 2 == 0 ? 200 : 3000); // a type's or a message's
            int warningLength = random.nextInt(300);
            List<EventResult> results = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                List<String> warnings = IntStream.range(0, random.nextInt(21)).mapToObj(w -> text(random, warningLength)).toList();
                results.add(random.nextBoolean() ? delivered(i, text(random, 40), warnings)
                        : new EventResult(i, text(random, 100), text(random, textLength),
                        new EventOutcome.Rejected(new Rejection(Reason.INVALID_FIELD, text(random, textLength)), 0, null), warnings, 0));
            }
            Report report = Report.of(results);

            ObjectNode json = written(report);

            assertTrue(Json.bytes(json).length <= Report.MAX_BYTES, "trial " + trial);
            assertEveryEventInOrder(report, json);
            boolean wholeFits = Json.byteCount(report.toJson(EventResult.Detail.FULL)) <= Report.MAX_BYTES;
            if (wholeFits) {
                assertEquals(report.toJson(EventResult.Detail.FULL), json, "trial " + trial + ": reduced although whole fits");
            } else {
                reduced++;
            }
        }
        assertTrue(reduced > 0, "no generated report exceeded the limit: the property tested nothing");
    }

    /**
     * End to end: 4 000 events through API Gateway, each dropping 20 array traits with long keys.
     * Whole, the report would be ~7 MB and Lambda would refuse the response (Segment would see a
     * 5xx and send the batch again); bounded, API Gateway gets all 4 000 results.
     */
    @Test
    void aBatchWithManyWarningsStillGetsItsReportThroughApiGateway() {
        InProcess pipeline = InProcess.open(Clock.systemUTC());
        pipeline.ramen.recording = false;
        SegmentLambdaHandler handler = pipeline.lambdaHandler();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 4000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"type\":\"identify\",\"messageId\":\"big-report-").append(i)
                    .append("\",\"userId\":\"u").append(i).append("\",\"traits\":{");
            for (int k = 0; k < 20; k++) {
                body.append(k == 0 ? "" : ",").append("\"list_").append("x".repeat(40)).append(k).append("\":[]");
            }
            body.append("}}");
        }
        byte[] event = LambdaEvents.apiGatewayV2("POST", Map.of("content-type", "application/json"),
                body.append(']').toString().getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertDoesNotThrow(() -> handler.handleRequest(new ByteArrayInputStream(event), out, null));

        assertTrue(out.size() <= LAMBDA_RESPONSE_LIMIT, "response of " + out.size() + " bytes");
        JsonNode response = Fixtures.parse(out.toString(StandardCharsets.UTF_8));
        assertEquals(200, response.get("statusCode").asInt());
        JsonNode report = Fixtures.parse(response.get("body").asText());
        assertEquals(4000, report.get("delivered").asInt());
        assertEquals(4000, pipeline.ramen.requests.get());
        Iterator<JsonNode> results = report.get("results").elements();
        for (int i = 0; i < 4000; i++) {
            JsonNode result = results.next();
            assertEquals(i, result.get("index").asInt());
            assertEquals("big-report-" + i, result.get("messageId").asText());
            assertEquals("[\"" + SUMMARY_OF_20 + "\"]", result.get("warnings").toString());
        }
    }

    private static void assertEveryEventInOrder(Report report, ObjectNode json) {
        JsonNode results = json.get("results");
        assertEquals(report.results().size(), results.size());
        for (int i = 0; i < results.size(); i++) {
            EventResult expected = report.results().get(i);
            assertEquals(expected.index(), results.get(i).get("index").asInt());
            assertEquals(expected.status().wireName(), results.get(i).get("status").asText());
            assertEquals(expected.reason(), results.get(i).has("reason") ? results.get(i).get("reason").asText() : null);
        }
    }

    private static EventResult delivered(int index, String messageId, List<String> warnings) {
        return new EventResult(index, messageId, "identify", new EventOutcome.Delivered(1, 200), warnings, 12);
    }

    /** Text with control characters, non-ASCII and quotes among letters: the characters JSON escaping grows. */
    private static String text(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(10);
            text.append(pick == 0 ? (char) random.nextInt(0x20) : pick == 1 ? 'é' : pick == 2 ? '"' : (char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    /** The report as the caller receives it: the bytes it is written to, read back. */
    private static ObjectNode written(Report report) {
        return written(report.toBytes());
    }

    private static ObjectNode written(DryRunReport report) {
        return written(report.toBytes());
    }

    private static ObjectNode written(byte[] bytes) {
        return (ObjectNode) Fixtures.parse(new String(bytes, StandardCharsets.UTF_8));
    }
}
