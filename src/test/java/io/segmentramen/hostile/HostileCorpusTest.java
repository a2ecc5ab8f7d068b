package io.segmentramen.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.delivery.OutcomeLog;
import io.segmentramen.faults.FaultProfile;
import io.segmentramen.json.Json;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.LambdaEvents;
import io.segmentramen.testing.ResetFakeRamen;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every case of the hostile corpus ({@code src/test/resources/hostile/}, one folder per case)
 * through every way in: HTTP, API Gateway REST (v1) and HTTP API (v2) events with the body as text
 * and base64, an SQS record, and a direct invocation. Under {@link FaultProfile}: MAX_BODY_BYTES
 * 200 000, MAX_BATCH_EVENTS 50, Ramen a WireMock answering 200.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
@ExtendWith(ResetFakeRamen.class)
class HostileCorpusTest {

    enum Way { HTTP, API_GATEWAY_V2, API_GATEWAY_V2_BASE64, API_GATEWAY_V1, API_GATEWAY_V1_BASE64, SQS, DIRECT }

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    private final List<String> outcomeLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            outcomeLines.add(String.valueOf(record.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void startCapture() {
        Logger.getLogger(OutcomeLog.CATEGORY).addHandler(capture);
    }

    @AfterEach
    void stopCapture() {
        Logger.getLogger(OutcomeLog.CATEGORY).removeHandler(capture);
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (HostileCase c : HostileCase.all()) {
            for (Way way : Way.values()) {
                if (!c.skipped().contains(way.name())) {
                    all.add(Arguments.of(c, way));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("cases")
    void hostileCase(HostileCase c, Way way) {
        byte[] body = c.body(Instant.now());
        JsonNode expect = c.expect();
        switch (way) {
            case HTTP -> {
                EntryPoint.Answer answer = EntryPoint.HTTP.post(Map.of("Content-Type", c.contentType()), body);
                checkHttp(c, answer.status(), answer.body());
            }
            case API_GATEWAY_V2, API_GATEWAY_V2_BASE64, API_GATEWAY_V1, API_GATEWAY_V1_BASE64 -> {
                JsonNode response = invoke(apiGateway(way, c.contentType(), body));
                checkHttp(c, response.path("statusCode").asInt(), response.path("body").asText());
            }
            case SQS -> {
                JsonNode response = invoke(LambdaEvents.sqs(new LambdaEvents.SqsRecord("rec-1", new String(body, StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8));
                assertFalse(response.has("errorMessage"), c + ": " + response);
                // a record refused whole (malformed_record) is listed too, never dropped
                boolean listed = expect.has("error") || c.expected("failed") > 0;
                assertEquals(listed ? 1 : 0, response.path("batchItemFailures").size(), c + ": " + response);
            }
            case DIRECT -> {
                JsonNode response = invoke(body);
                assertFalse(response.has("errorMessage"), c + ": " + response);
                if (expect.has("error")) {
                    assertEquals(expect.path("error").asText(), response.path("error").path("code").asText(), c + ": " + response);
                    assertEquals(expect.path("status").asInt(), response.path("error").path("status").asInt(), c + ": " + response);
                } else {
                    checkReport(c, response);
                }
            }
        }
        checkRamenAndLogs(c);
    }

    private static JsonNode invoke(byte[] payload) {
        Response response = Endpoints.lambda().body(payload).post();
        String text = response.asString();
        assertNotEquals(500, response.statusCode(), text);
        return Fixtures.parse(text);
    }

    private static byte[] apiGateway(Way way, String contentType, byte[] body) {
        boolean base64 = way.name().endsWith("BASE64");
        ObjectNode event = (ObjectNode) Fixtures.parse(way.name().startsWith("API_GATEWAY_V1")
                ? LambdaEvents.apiGatewayV1("POST", Map.of("Content-Type", contentType), "")
                : LambdaEvents.apiGatewayV2("POST", Map.of("Content-Type", contentType), new byte[0]));
        event.put("body", base64 ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
        event.put("isBase64Encoded", base64);
        return Json.bytes(event);
    }

    private void checkHttp(HostileCase c, int status, String body) {
        JsonNode expect = c.expect();
        assertEquals(expect.path("status").asInt(), status, c + ": " + abbreviated(body));
        JsonNode json = Fixtures.parse(body);
        if (expect.has("error")) {
            assertEquals(expect.path("error").asText(), json.path("error").path("code").asText(), c + ": " + abbreviated(body));
        } else {
            checkReport(c, json);
        }
    }

    /** Each element exactly one result, as expected; each within the per-event byte bound. */
    static void checkReport(HostileCase c, JsonNode report) {
        List<JsonNode> expected = c.results();
        JsonNode results = report.path("results");
        assertEquals(expected.size(), results.size(), c + ": one result per element: " + abbreviated(report.toString()));
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            JsonNode got = results.get(i);
            String where = c + " results[" + i + "]: " + abbreviated(got.toString());
            assertEquals(i, got.path("index").asInt(), where);
            assertEquals(want.path("status").asText(), got.path("status").asText(), where);
            if (want.has("reason")) {
                assertEquals(want.path("reason").asText(), got.path("reason").asText(), where);
            }
            if (want.has("mentions")) {
                assertTrue(got.path("message").asText().contains(want.path("mentions").asText()), where);
            }
            if (want.has("warnings")) {
                assertEquals(want.path("warnings").asInt(), got.path("warnings").size(), where);
            }
            if (want.has("warningMentions")) {
                String text = want.path("warningMentions").asText();
                boolean found = false;
                for (JsonNode warning : got.path("warnings")) {
                    found |= warning.asText().contains(text);
                }
                assertTrue(found, where + " has a warning containing " + text);
            }
            int max = c.expect().path("maxBytesPerEvent").asInt(65_536);
            assertTrue(Json.bytes(got).length <= max, where + " is " + Json.bytes(got).length + " bytes");
        }
    }

    private void checkRamenAndLogs(HostileCase c) {
        JsonNode expect = c.expect();
        int max = expect.path("maxBytesPerEvent").asInt(65_536);
        List<JsonNode> payloads = new ArrayList<>();
        for (ServeEvent served : ramen.getAllServeEvents()) {
            byte[] bytes = served.getRequest().getBody();
            assertTrue(bytes.length <= max, c + ": a Ramen payload of " + bytes.length + " bytes");
            payloads.add(Fixtures.parse(new String(bytes, StandardCharsets.UTF_8)));
        }
        assertEquals(c.expected("delivered"), payloads.size(), c + ": Ramen requests " + payloads);
        for (JsonNode subset : expect.path("ramen")) {
            assertTrue(payloads.stream().anyMatch(payload -> contains(payload, subset)), c + ": Ramen received " + subset + " in " + payloads);
        }
        for (JsonNode pointer : expect.path("ramenLacks")) {
            payloads.forEach(payload -> assertTrue(payload.at(pointer.asText()).isMissingNode(), c + ": " + pointer + " in " + payload));
        }
        for (String line : outcomeLines) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= max, c + ": an outcome log line of " + line.length() + " characters");
        }
    }

    static boolean contains(JsonNode actual, JsonNode subset) {
        if (!subset.isObject()) {
            return subset.equals(actual);
        }
        var fields = subset.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (actual == null || !actual.has(field.getKey()) || !contains(actual.get(field.getKey()), field.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviated(String text) {
        return text == null || text.length() < 2000 ? text : text.substring(0, 2000) + "…";
    }
}
