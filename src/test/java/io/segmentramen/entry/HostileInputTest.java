package io.segmentramen.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.faults.FaultProfile;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.EntryPoint.Answer;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.ResetFakeRamen;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies nobody should send, through the HTTP resource and an API Gateway HTTP API event alike
 * (docs/CONTRACT.md §1, §2). Each earns a precise status and code; none a 500 or a stack trace.
 * The profile sets MAX_BODY_BYTES=200000 and MAX_BATCH_EVENTS=50.
 */
@QuarkusTest
@ExtendWith(ResetFakeRamen.class)
@TestProfile(FaultProfile.class)
class HostileInputTest {

    private static final String JSON = "application/json";

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    /**
     * @param method      HTTP method
     * @param contentType Content-Type header, or null for none
     * @param body        the raw body (built fresh per run: messageIds must be unique)
     * @param status      expected HTTP status
     * @param where       "error" for {"error": {"code"}}, "result" for the reason of the first event in a
     *                    report, "none" when no body is promised
     * @param code        expected error code or reason
     * @param mentions    text the message must contain (the field name), or null
     */
    record Case(String name, String method, String contentType, Supplier<byte[]> body, int status, String where, String code,
                String mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case error(String name, String body, int status, String code) {
        return new Case(name, "POST", JSON, () -> body.getBytes(StandardCharsets.UTF_8), status, "error", code, null);
    }

    private static Case element(String name, String body, int status, String reason) {
        return new Case(name, "POST", JSON, () -> body.getBytes(StandardCharsets.UTF_8), status, "result", reason, null);
    }

    private static Case rejected(String name, String field, String eventJsonTail, String reason) {
        return new Case(name, "POST", JSON, () -> ("{\"messageId\":\"h-" + UUID.randomUUID() + "\"," + eventJsonTail + "}")
                .getBytes(StandardCharsets.UTF_8), 400, "result", reason, field);
    }

    private static String nested(int depth) {
        return "{\"type\":\"track\",\"event\":\"Deep\",\"userId\":\"u1\",\"properties\":" + "{\"a\":".repeat(depth) + "1"
                + "}".repeat(depth) + "}";
    }

    private static String event() {
        return "{\"type\":\"track\",\"event\":\"Ok\",\"userId\":\"u-" + UUID.randomUUID() + "\",\"messageId\":\"h-" + UUID.randomUUID() + "\"}";
    }

    private static String hugeEvent() {
        return "{\"type\":\"track\",\"event\":\"Huge\",\"userId\":\"u-" + UUID.randomUUID() + "\",\"messageId\":\"h-" + UUID.randomUUID()
                + "\",\"properties\":{\"blob\":\"" + "x".repeat(40_000) + "\"}}";
    }

    private static String batchOf(int events) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            all.add(event());
        }
        return "[" + String.join(",", all) + "]";
    }

    static Stream<Arguments> cases() {
        List<Case> cases = List.of(
                // docs/CONTRACT.md §1: what is wrong inside an element rejects that element (a report), not the body
                element("object nested 1000 deep", nested(1000), 400, "json_limits_exceeded"),
                element("array nested 1000 deep", "[".repeat(1000) + "]".repeat(1000), 200, "json_limits_exceeded"),
                element("10 000-digit number", "{\"type\":\"track\",\"event\":\"N\",\"userId\":\"u1\",\"properties\":{\"n\":"
                        + "9".repeat(10_000) + "}}", 400, "json_limits_exceeded"),
                new Case("single event over 32 KB", "POST", JSON, () -> hugeEvent().getBytes(StandardCharsets.UTF_8),
                        400, "result", "event_too_large", "32768"),
                new Case("body over MAX_BODY_BYTES", "POST", JSON, () -> ("[" + hugeEvent() + "," + hugeEvent() + "," + hugeEvent() + ","
                        + hugeEvent() + "," + hugeEvent() + "]").getBytes(StandardCharsets.UTF_8), 413, "error", "body_too_large", null),
                error("batch over MAX_BATCH_EVENTS", batchOf(51), 413, "too_many_events"),
                element("duplicate keys", "{\"type\":\"track\",\"event\":\"D\",\"userId\":\"u1\",\"userId\":\"u2\"}", 400, "invalid_json"),
                new Case("invalid UTF-8", "POST", JSON, HostileInputTest::invalidUtf8, 400, "result", "invalid_json", "UTF-8"),
                rejected("type is a number", "type", "\"type\":7,\"userId\":\"u1\"", "unknown_type"),
                rejected("type is unknown", "type", "\"type\":\"purchase\",\"userId\":\"u1\"", "unknown_type"),
                rejected("userId is an object", "userId", "\"type\":\"track\",\"event\":\"E\",\"userId\":{\"id\":1}", "invalid_field"),
                rejected("anonymousId is an array", "anonymousId", "\"type\":\"page\",\"anonymousId\":[1]", "invalid_field"),
                rejected("traits is an array", "traits", "\"type\":\"identify\",\"userId\":\"u1\",\"traits\":[1,2]", "invalid_field"),
                rejected("context is a string", "context", "\"type\":\"track\",\"event\":\"E\",\"userId\":\"u1\",\"context\":\"web\"",
                        "invalid_field"),
                rejected("integrations is a string", "integrations",
                        "\"type\":\"track\",\"event\":\"E\",\"userId\":\"u1\",\"integrations\":\"all\"", "invalid_field"),
                rejected("properties is a number", "properties", "\"type\":\"track\",\"event\":\"E\",\"userId\":\"u1\",\"properties\":5",
                        "invalid_field"),
                new Case("messageId is an object", "POST", JSON,
                        () -> "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u1\",\"messageId\":{\"id\":1}}".getBytes(StandardCharsets.UTF_8),
                        400, "result", "invalid_field", "messageId"),
                rejected("event is a number", "event", "\"type\":\"track\",\"event\":42,\"userId\":\"u1\"", "invalid_field"),
                rejected("timestamp is a number", "timestamp", "\"type\":\"track\",\"event\":\"E\",\"userId\":\"u1\",\"timestamp\":1714564800",
                        "invalid_field"),
                rejected("groupId is a boolean", "groupId", "\"type\":\"group\",\"userId\":\"u1\",\"groupId\":true", "invalid_field"),
                rejected("traits.email is a number", "traits.email", "\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":5}",
                        "invalid_email"),
                rejected("traits.email is malformed", "traits.email",
                        "\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"not-an-address\"}", "invalid_email"),
                new Case("messageId over 100 characters", "POST", JSON,
                        () -> ("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u1\",\"messageId\":\"" + "m".repeat(101) + "\"}")
                                .getBytes(StandardCharsets.UTF_8), 400, "result", "message_id_too_long", "messageId"),
                error("empty body", "", 400, "empty_body"),
                error("null", "null", 400, "not_events"),
                error("a JSON string", "\"string\"", 400, "not_events"),
                error("a number", "12", 400, "not_events"),
                error("empty array", "[]", 400, "no_events"),
                error("empty batch", "{\"batch\":[]}", 400, "no_events"),
                error("batch is not an array", "{\"batch\":\"all of them\"}", 400, "invalid_batch"),
                error("trailing garbage", "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u1\"} garbage", 400, "invalid_json"),
                error("two documents", "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u1\"}{}", 400, "invalid_json"),
                error("truncated", "{\"type\":\"track\",\"event\":", 400, "invalid_json"),
                element("NaN", "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u1\",\"properties\":{\"n\":NaN}}", 400, "invalid_json"),
                error("XML", "<event type=\"track\"/>", 400, "invalid_json"),
                new Case("declared latin-1 charset", "POST", "application/json; charset=ISO-8859-1",
                        () -> event().getBytes(StandardCharsets.UTF_8), 415, "error", "unsupported_media_type", null),
                new Case("declared UTF-16 charset on text/plain", "POST", "text/plain; charset=\"utf-16\"",
                        () -> event().getBytes(StandardCharsets.UTF_8), 415, "error", "unsupported_media_type", null),
                new Case("XML as text/plain", "POST", "text/plain", () -> "<event type=\"track\"/>".getBytes(StandardCharsets.UTF_8), 400,
                        "error", "invalid_json", null),
                new Case("GET", "GET", null, () -> new byte[0], 405, "none", null, null),
                new Case("PUT", "PUT", JSON, () -> event().getBytes(StandardCharsets.UTF_8), 405, "none", null, null));
        return cases.stream().flatMap(c -> Stream.of(Arguments.of(EntryPoint.HTTP, c), Arguments.of(EntryPoint.API_GATEWAY_V2, c)));
    }

    private static byte[] invalidUtf8() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"type\":\"track\",\"event\":\"".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE});
        out.writeBytes("\",\"userId\":\"u1\"}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void hostileBodyEarnsAPreciseAnswer(EntryPoint entry, Case c) {
        Map<String, String> headers = c.contentType() == null ? Map.of() : Map.of("Content-Type", c.contentType());

        Answer answer = entry.send(c.method(), headers, c.body().get());

        assertNotEquals(500, answer.status(), answer::toString);
        assertEquals(c.status(), answer.status(), answer::toString);
        String body = answer.body() == null ? "" : answer.body();
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("at io."), "no stack trace: " + body);
        switch (c.where()) {
            case "error" -> {
                JsonNode error = answer.json().path("error");
                assertEquals(c.code(), error.path("code").asText(), answer::toString);
                assertFalse(error.path("message").asText().isBlank());
            }
            case "result" -> {
                JsonNode report = answer.json();
                assertEquals(1, report.path("rejected").asInt(), answer::toString);
                JsonNode result = report.path("results").get(0);
                assertEquals("rejected", result.path("status").asText());
                assertEquals(c.code(), result.path("reason").asText(), answer::toString);
                if (c.mentions() != null) {
                    assertTrue(result.path("message").asText().contains(c.mentions()), "the message names " + c.mentions() + ": " + result);
                }
            }
            default -> {
            }
        }
        assertEquals(0, ramen.getAllServeEvents().size(), "nothing of a hostile body reaches Ramen");
    }

    /**
     * docs/CONTRACT.md §2 ({@code unsupported_media_type}): the media type is not checked, only a
     * declared charset. A JSON event sent without Content-Type (as `sam local generate-event` writes
     * API Gateway events), as text/plain or as application/json-seq is delivered like any other.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("mediaTypes")
    void mediaTypeIsNotCheckedOnlyTheBody(EntryPoint entry, String contentType) {
        Map<String, String> headers = contentType.equals("none") ? Map.of() : Map.of("Content-Type", contentType);

        Answer answer = entry.post(headers, event().getBytes(StandardCharsets.UTF_8));

        assertEquals(200, answer.status(), answer::toString);
        JsonNode report = answer.json();
        assertEquals(1, report.path("delivered").asInt(), answer::toString);
        assertEquals("delivered", report.path("results").get(0).path("status").asText(), answer::toString);
        assertEquals(1, ramen.getAllServeEvents().size(), "the event reaches Ramen");
    }

    /** An API Gateway REST API (payload 1.0) event without any Content-Type header, as SAM generates them, delivers. */
    @org.junit.jupiter.api.Test
    void apiGatewayV1EventWithoutContentTypeIsDelivered() {
        String event = io.segmentramen.testing.LambdaEvents.apiGatewayV1("POST", Map.of("User-Agent", "Custom User Agent String"), event());

        String output = io.segmentramen.testing.Endpoints.lambda().contentType("application/json").body(event).post().then()
                .statusCode(200).extract().asString();

        JsonNode response = io.segmentramen.testing.Fixtures.parse(output);
        assertEquals(200, response.path("statusCode").asInt(), output);
        JsonNode report = io.segmentramen.testing.Fixtures.parse(response.path("body").asText());
        assertEquals(1, report.path("delivered").asInt(), output);
        assertEquals(1, ramen.getAllServeEvents().size(), "the event reaches Ramen");
    }

    static Stream<Arguments> mediaTypes() {
        return Stream.of("none", "text/plain", "application/json-seq", "text/plain; charset=UTF-8")
                .flatMap(type -> Stream.of(Arguments.of(EntryPoint.HTTP, type), Arguments.of(EntryPoint.API_GATEWAY_V2, type)));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(EntryPoint.class)
    void oversizedEventInABatchIsRejectedInsideTheReportWhileTheRestIsDelivered(EntryPoint entry) {
        Answer answer = entry.postJson("[" + event() + "," + hugeEvent() + "," + event() + "]");

        assertEquals(200, answer.status(), answer::toString);
        JsonNode report = answer.json();
        assertEquals(2, report.path("delivered").asInt(), answer::toString);
        assertEquals(1, report.path("rejected").asInt());
        assertEquals("event_too_large", report.path("results").get(1).path("reason").asText());
        assertEquals(2, ramen.getAllServeEvents().size());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(EntryPoint.class)
    void arrayOfNonObjectsIsRejectedEventByEvent(EntryPoint entry) {
        Answer answer = entry.postJson("[1,2]");

        assertEquals(200, answer.status(), "a batch whose events are all rejected is answered 200 with the report: " + answer);
        JsonNode report = answer.json();
        assertEquals(2, report.path("rejected").asInt(), answer::toString);
        assertEquals("not_an_object", report.path("results").get(0).path("reason").asText());
        assertEquals("not_an_object", report.path("results").get(1).path("reason").asText());
        assertEquals(0, ramen.getAllServeEvents().size());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(EntryPoint.class)
    void byteOrderMarkIsIgnoredAsRfc8259Allows(EntryPoint entry) {
        byte[] json = event().getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(json, 0, body, 3, json.length);

        Answer answer = entry.post(Map.of("Content-Type", JSON), body);

        assertEquals(200, answer.status(), answer::toString);
        assertEquals(1, answer.json().path("delivered").asInt(), answer::toString);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(EntryPoint.class)
    void jsonWithCharsetParameterIsAccepted(EntryPoint entry) {
        for (String contentType : List.of("application/json; charset=utf-8", "Application/JSON;charset=UTF-8")) {
            Answer answer = entry.post(Map.of("Content-Type", contentType), event().getBytes(StandardCharsets.UTF_8));
            assertEquals(200, answer.status(), contentType + ": " + answer);
            assertEquals(1, answer.json().path("delivered").asInt(), answer::toString);
        }
    }
}
