package io.segmentramen.idempotency;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.ParameterizedTest;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.json.Json;
import io.segmentramen.http.InboundRequest;
import io.segmentramen.http.HttpAnswer;
import io.segmentramen.golden.GoldenCase;
import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.delivery.EventResult;
import io.segmentramen.delivery.Report;
import io.segmentramen.ramen.RamenReply;
import io.segmentramen.segment.RequestError;
import io.segmentramen.testing.InProcess;
import io.segmentramen.testing.LogCapture;
import io.segmentramen.testing.MotoServer;
import io.segmentramen.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idempotency table against a real DynamoDB API (moto's server): the record model of
 * docs/CONTRACT.md §5 ("Exactly once across instances"), each function instance an independently
 * wired pipeline with its own in-memory cache. moto never deletes expired items, so the clock is the
 * test's.
 */
class IdempotencyTableTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static MotoServer moto;
    private static DynamoDbApi dynamo;
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final MutableClock clock = new MutableClock();
    private String tableName;
    private InProcess.RecordingRamen ramen;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        dynamo = moto.admin();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void freshTable() {
        clock.fixAt(T0);
        tableName = "idem-" + TABLES.incrementAndGet();
        moto.createTable(tableName);
        ramen = new InProcess.RecordingRamen();
    }

    private IdempotencyTable table(DynamoDbApi client) {
        return new IdempotencyTable(client, tableName, Duration.ofHours(24), clock);
    }

    /** A new function instance (its own in-memory cache) behind the shared table. */
    private InProcess instance(boolean deliverWhenUnreachable, DynamoDbApi client) {
        return new InProcess(ramen, clock, duration -> CompletableFuture.completedFuture(null),
                pipeline -> pipeline.withTable(table(client), deliverWhenUnreachable));
    }

    private InProcess instance() {
        return instance(true, dynamo);
    }

    static EventResult send(InProcess instance, String messageId) {
        return sendBatch(instance, List.of(messageId)).results().get(0);
    }

    static Report sendBatch(InProcess instance, List<String> messageIds) {
        StringBuilder body = new StringBuilder("[");
        for (String id : messageIds) {
            body.append(body.length() > 1 ? "," : "").append("{\"type\":\"track\",\"event\":\"Ordered\",\"userId\":\"u-")
                    .append(id).append("\",\"messageId\":\"").append(id).append("\"}");
        }
        try {
            return instance.intake.process(instance.intake.parse(body.append(']').toString().getBytes(StandardCharsets.UTF_8)), null, null);
        } catch (RequestError e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode item(String id) {
        return moto.item(tableName, id);
    }

    /** A string or number attribute of the item {@code id}. */
    private String attribute(String id, String name) {
        JsonNode value = item(id).path(name);
        return value.has("S") ? value.path("S").asText() : value.path("N").asText(null);
    }

    private static String outcome(EventResult result) {
        return result.status().wireName() + (result.reason() == null ? "" : " " + result.reason());
    }

    @Test
    void aResendToAnotherInstanceIsSkippedAsADuplicate() {
        assertEquals("delivered", outcome(send(instance(), "m-1")));
        assertEquals("COMPLETED", attribute("m-1", "status"));
        assertEquals("delivered", attribute("m-1", "outcome"));
        assertEquals(Long.toString(T0.plus(Duration.ofHours(24)).getEpochSecond()), attribute("m-1", "expiry"));

        assertEquals("skipped duplicate", outcome(send(instance(), "m-1")));
        assertEquals(1, ramen.requests.get());
    }

    @Test
    void theHappyPathCostsOneConditionalWriteAndOneUpdatePerEvent() {
        long puts = moto.calls("PutItem");
        long updates = moto.calls("UpdateItem");
        Report report = sendBatch(instance(), List.of("a", "b", "c", "d"));
        assertEquals(4, report.delivered());
        assertEquals(4, moto.calls("PutItem") - puts);
        assertEquals(4, moto.calls("UpdateItem") - updates);
    }

    @Test
    void aLiveClaimOfAnotherInstanceFailsTheEventForSegmentToRetry() {
        assertEquals(new IdempotencyTable.Acquired(), table(dynamo).claim("m-2", T0.plusSeconds(4)).join());
        assertEquals("failed in_progress_elsewhere", outcome(send(instance(), "m-2")));
        assertEquals(0, ramen.requests.get());
    }

    /**
     * The caller retries a claim whose answer was lost; the retry meets the item its own first attempt
     * wrote. That is this claim's, not another instance's: the event goes on instead of waiting for
     * its own claim to expire.
     */
    @Test
    void aRetriedClaimThatFindsItsOwnFirstWriteHoldsIt() {
        IdempotencyTable table = table(dynamo);
        assertEquals(new IdempotencyTable.Acquired(), table.claim("m-own", T0.plusSeconds(4), "token-1").join());

        assertEquals(new IdempotencyTable.Acquired(), table.claim("m-own", T0.plusSeconds(4), "token-1").join());
        assertEquals(new IdempotencyTable.HeldElsewhere(), table.claim("m-own", T0.plusSeconds(4), "token-2").join());
    }

    @Test
    void anExpiredClaimIsTakenOver() {
        table(dynamo).claim("m-3", T0.plusSeconds(4)).join();
        clock.advance(Duration.ofSeconds(5));
        assertEquals("delivered", outcome(send(instance(), "m-3")));
        assertEquals(1, ramen.requests.get());
        assertEquals("COMPLETED", attribute("m-3", "status"));
    }

    @Test
    void anExpiredCompletedRecordNoLongerStopsTheEvent() {
        send(instance(), "m-4");
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        assertEquals("delivered", outcome(send(instance(), "m-4")));
        assertEquals(2, ramen.requests.get());
        assertEquals(Long.toString(clock.instant().plus(Duration.ofHours(24)).getEpochSecond()), attribute("m-4", "expiry"));
    }

    @Test
    void aRetryableFailureReleasesTheClaim() {
        ramen.answer(payload -> new RamenReply.Answered(503, "", Optional.empty()));
        long deletes = moto.calls("DeleteItem");
        assertEquals("failed ramen_unavailable", outcome(send(instance(), "m-5")));
        assertEquals(deletes + 1, moto.calls("DeleteItem"));
        assertTrue(item("m-5").isEmpty(), "the claim is deleted");
        ramen.answer(payload -> new RamenReply.Answered(200, "", Optional.empty()));
        assertEquals("delivered", outcome(send(instance(), "m-5")));
    }

    @Test
    void aPermanentRejectionIsRecordedAndNotSentAgain() {
        ramen.answer(payload -> new RamenReply.Answered(400, "bad", Optional.empty()));
        assertEquals("rejected ramen_rejected", outcome(send(instance(), "m-6")));
        assertEquals("rejected:ramen_rejected", attribute("m-6", "outcome"));
        long requests = ramen.requests.get();
        assertEquals("skipped duplicate", outcome(send(instance(), "m-6")));
        assertEquals(requests, ramen.requests.get());
    }

    @Test
    void anUnreachableTableDeliversAnywayAndSaysSoByDefault() throws Exception {
        try (LogCapture log = LogCapture.on(IdempotencyTable.class.getName())) {
            assertEquals("delivered", outcome(send(instance(true, moto.client(closedPort())), "m-7")));
            // the template's metric filter counts exactly this logger's ERROR lines
            String line = "ERROR " + IdempotencyTable.class.getName()
                    + " idempotency table unreachable (ConnectException): 1 events delivered without the exactly-once check";
            assertTrue(log.text().contains(line), log.text());
        }
        String template = Files.readString(Path.of("infra", "template.yaml"));
        assertTrue(template.contains("{ $.loggerName = \"" + IdempotencyTable.class.getName() + "\" && $.level = \"ERROR\" }"),
                "the template's IdempotencyUnreachableMetric matches this line");
        assertEquals(1, ramen.requests.get());
    }

    @Test
    void anUnreachableTableFailsTheEventWhenToldTo() throws Exception {
        assertEquals("failed idempotency_unavailable", outcome(send(instance(false, moto.client(closedPort())), "m-8")));
        assertEquals(0, ramen.requests.get());
    }

    @Test
    void theInMemoryCacheStaysInFront() {
        InProcess one = instance();
        long before = moto.calls("PutItem");
        send(one, "m-9");
        long puts = moto.calls("PutItem");
        assertEquals(before + 1, puts);
        assertEquals("skipped duplicate", outcome(send(one, "m-9")));
        assertEquals(puts, moto.calls("PutItem"), "a duplicate this instance knows costs no table request");
    }

    /**
     * The golden cases that need the table (src/test/resources/golden-table/): the table holds what
     * the case says for its messageId, the request goes through POST /events, and the status, the
     * counts and every result are exactly the case's; nothing reaches Ramen.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenTableCases")
    void goldenCasesWithTheTable(String name, GoldenCase golden) throws Exception {
        String messageId = Fixtures.parse(new String(golden.event(), StandardCharsets.UTF_8)).path("messageId").asText();
        InProcess instance = switch (golden.expect().path("table").asText()) {
            case "COMPLETED" -> {
                com.fasterxml.jackson.databind.node.ObjectNode put = Json.MAPPER.createObjectNode().put("TableName", tableName);
                com.fasterxml.jackson.databind.node.ObjectNode item = put.putObject("Item");
                item.set("id", IdempotencyTable.s(messageId));
                item.set("status", IdempotencyTable.s(IdempotencyTable.COMPLETED));
                item.set("outcome", IdempotencyTable.s("delivered"));
                item.set("expiry", IdempotencyTable.n(T0.plus(Duration.ofHours(20)).getEpochSecond()));
                moto.call("PutItem", put);
                yield instance();
            }
            case "INPROGRESS" -> {
                assertEquals(new IdempotencyTable.Acquired(), table(dynamo).claim(messageId, T0.plusSeconds(4)).join());
                yield instance();
            }
            case "unreachable" -> instance(false, moto.client(closedPort()));
            default -> throw new IllegalArgumentException(name + ": table is COMPLETED, INPROGRESS or unreachable");
        };
        HttpAnswer answer = instance.http.handle(new InboundRequest("POST", Map.of("Content-Type", "application/json"), golden.event(),
                T0, null));

        JsonNode report = Fixtures.parse(answer.bodyText());
        assertEquals(golden.httpStatus(), answer.status(), answer.bodyText());
        for (String count : new String[] {"delivered", "skipped", "rejected", "failed"}) {
            assertEquals(golden.expect().path(count).asInt(), report.path(count).asInt(), count + ": " + answer.bodyText());
        }
        assertEquals(golden.results(), List.copyOf(Json.MAPPER.convertValue(report.path("results"), List.class).stream()
                .map(Json.MAPPER::valueToTree).toList()), answer.bodyText());
        assertEquals(0, ramen.requests.get(), "nothing reaches Ramen");
    }

    static Stream<Arguments> goldenTableCases() {
        return GoldenCase.withTable().stream().map(golden -> Arguments.of(golden.name(), golden));
    }

    private static String closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
