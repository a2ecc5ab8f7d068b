package io.segmentramen.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.segmentramen.faults.FaultProfile;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.observability.MetricsEmitter;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.delivery.OutcomeLog;
import io.segmentramen.testing.LogCapture;
import io.segmentramen.testing.LogLines;
import io.segmentramen.testing.ResetFakeRamen;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/CONTRACT.md §2, direct invocation: when an event failed, the invocation ends in an error ("Execution
 * Error" for Segment's AWS Lambda destination, which then retries) whose message names the failed
 * messageIds and reasons. Quarkus's mock event server answers such an invocation with HTTP 500 and
 * the Lambda runtime's error document {@code {"errorType", "errorMessage"}}.
 */
@QuarkusTest
@ExtendWith(ResetFakeRamen.class)
@TestProfile(FaultProfile.class)
class DirectInvocationFailureTest {

    /** Any address: its local part must be masked ({@code a***}) wherever it is written. */
    private static final Pattern EMAIL = Pattern.compile("([A-Za-z0-9._%+*-]+)@[A-Za-z0-9-]+\\.[A-Za-z]");

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    private static Response invoke(String payload) {
        return Endpoints.lambda().contentType("application/json").body(payload.getBytes(StandardCharsets.UTF_8)).post();
    }

    private static String track(String userId, String messageId) {
        return "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"" + userId + "\",\"messageId\":\"" + messageId + "\"}";
    }

    @Test
    void failedEventEndsTheInvocationInAnErrorNamingItsMessageIdAndReason() {
        String failing = "direct-" + UUID.randomUUID();
        ramen.stubFor(post(urlEqualTo("/po.json")).atPriority(1).withRequestBody(matchingJsonPath("$.message_id", equalTo(failing)))
                .willReturn(aResponse().withStatus(503)));

        Response response = invoke(track("u-" + UUID.randomUUID(), failing));

        assertEquals(500, response.statusCode(), response.asString());
        JsonNode error = Fixtures.parse(response.asString());
        assertEquals("io.segmentramen.lambda.FailedEventsException", error.path("errorType").asText());
        String message = error.path("errorMessage").asText();
        assertTrue(message.startsWith("1 event(s) failed and must be retried: " + failing + " (ramen_unavailable)"), message);
        assertFalse(message.contains("\tat "), "no stack trace in the message");
    }

    @Test
    void errorListsEveryFailedEventAndNoDeliveredOne() {
        String user = "u-" + UUID.randomUUID();
        String failing = "direct-fail-" + UUID.randomUUID();
        String blocked = "direct-blocked-" + UUID.randomUUID();
        String delivered = "direct-ok-" + UUID.randomUUID();
        ramen.stubFor(post(urlEqualTo("/po.json")).atPriority(1).withRequestBody(matchingJsonPath("$.message_id", equalTo(failing)))
                .willReturn(aResponse().withStatus(401)));

        Response response = invoke("[" + track(user, failing) + "," + track(user, blocked) + ","
                + track("u-" + UUID.randomUUID(), delivered) + "]");

        assertEquals(500, response.statusCode(), response.asString());
        String message = Fixtures.parse(response.asString()).path("errorMessage").asText();
        String summary = message;
        assertEquals("2 event(s) failed and must be retried: " + failing + " (ramen_unauthorized), " + blocked
                + " (blocked_by_earlier_failure)", summary);
        assertFalse(summary.contains(delivered));
    }

    @Test
    void noUnmaskedEmailInAnythingAFailingInvocationWritesOrReturns() throws InterruptedException {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String messageId = "ada.lovelace+" + suffix + "@example.com";
        String userId = "grace.hopper+" + suffix + "@example.com";
        ramen.stubFor(post(urlEqualTo("/po.json")).atPriority(1).withRequestBody(matchingJsonPath("$.message_id", equalTo(messageId)))
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":\"down for " + userId + "\"}")));
        String event = "{\"type\":\"identify\",\"userId\":\"" + userId + "\",\"messageId\":\"" + messageId
                + "\",\"traits\":{\"email\":\"" + userId + "\",\"backup_email\":\"katherine.johnson@example.com\"}}";

        Response response;
        List<String> lines;
        try (LogLines logs = LogLines.capture(OutcomeLog.CATEGORY, MetricsEmitter.CATEGORY)) {
            response = invoke(event);
            // the Lambda runtime logs the failure as it posts the error; wait for that line, if it is late
            for (int i = 0; i < 100 && logs.lines().stream().noneMatch(line -> line.contains("Failed to run lambda")); i++) {
                Thread.sleep(50);
            }
            lines = logs.lines();
        }

        assertEquals(500, response.statusCode(), response.asString());
        List<String> written = new ArrayList<>(lines);
        written.add(response.asString());
        for (String text : written) {
            Matcher email = EMAIL.matcher(text);
            while (email.find()) {
                assertTrue(email.group(1).matches(".\\*\\*\\*"), () -> "an unmasked email " + email.group() + " in: " + text);
            }
        }
        String all = String.join("\n", lines);
        assertTrue(all.contains("Failed to run lambda"), () -> "the runtime's own ERROR line was captured:\n" + all);
        assertTrue(lines.stream().anyMatch(line -> line.contains("FailedEventsException") && line.contains("a***@example.com (ramen_unavailable)")),
                () -> "the error, logged with the masked messageId:\n" + all);
        assertTrue(lines.stream().anyMatch(line -> line.contains("\"status\":\"failed\"")), "the outcome line was captured");
    }

    @Test
    void rejectedOnlyIsAReportNotAnError() {
        Response response = invoke("{\"type\":\"identify\",\"userId\":\"u1\",\"messageId\":\"direct-" + UUID.randomUUID()
                + "\",\"traits\":{\"email\":\"nope\"}}");

        assertEquals(200, response.statusCode(), response.asString());
        JsonNode report = Fixtures.parse(response.asString());
        assertEquals(1, report.path("rejected").asInt());
        assertEquals("invalid_email", report.path("results").get(0).path("reason").asText());
    }

    @Test
    void unparseablePayloadIsAnErrorResultThatNobodyRetries() {
        Response response;
        String logged;
        JsonNode metrics;
        try (LogCapture logs = LogCapture.on(MetricsEmitter.CATEGORY, "io.segmentramen.lambda")) {
            response = invoke("[1,");
            logged = logs.text();
            metrics = logs.metricsLine();
        }

        // Segment counts the invocation as a success, so the refusal must show where an alarm can see it
        assertTrue(logged.contains("WARN io.segmentramen.lambda.SegmentLambdaHandler invocation refused (invalid_json)"), logged);
        assertEquals(1, metrics.path("Refused").asInt(), metrics::toString);
        assertEquals(1, metrics.path("Refused_invalid_json").asInt(), metrics::toString);
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode result = Fixtures.parse(response.asString());
        assertEquals("invalid_json", result.path("error").path("code").asText(), result::toString);
        assertEquals(400, result.path("error").path("status").asInt());
        assertEquals(0, ramen.getAllServeEvents().size());
    }
}
