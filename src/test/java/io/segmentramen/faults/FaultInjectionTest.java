package io.segmentramen.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.EntryPoint.Answer;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.LambdaEvents;
import io.segmentramen.testing.LogCapture;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.ResetFakeRamen;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/CONTRACT.md §5 against a Ramen that misbehaves on purpose: every row of the response table, Retry-After,
 * timeouts and dropped connections, observed as the caller sees them (HTTP status, report) and as
 * Ramen sees them (the exact number of requests). RAMEN_TIMEOUT=500ms, RAMEN_DEADLINE=3s,
 * RAMEN_MAX_ATTEMPTS=3.
 */
@QuarkusTest
@ExtendWith(ResetFakeRamen.class)
@TestProfile(FaultProfile.class)
class FaultInjectionTest {

    private static final String PO = "/po.json";

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    private Answer sendOne(String messageId) {
        return EntryPoint.HTTP.postJson(RamenEvents.track(RamenEvents.uniqueId("user"), messageId));
    }

    private static JsonNode onlyResult(Answer answer) {
        JsonNode results = answer.json().path("results");
        assertEquals(1, results.size(), answer::toString);
        return results.get(0);
    }

    private int requestsReceived() {
        return ramen.getAllServeEvents().size();
    }

    @Test
    void serverErrorThenSuccessIsDeliveredOnTheSecondAttempt() {
        ramen.stubFor(post(urlEqualTo(PO)).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("recovered"));
        ramen.stubFor(post(urlEqualTo(PO)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("{}")));

        Answer answer = sendOne(RamenEvents.uniqueId("m"));

        assertEquals(200, answer.status(), answer::toString);
        JsonNode result = onlyResult(answer);
        assertEquals("delivered", result.path("status").asText());
        assertEquals(2, result.path("attempts").asInt());
        assertEquals(200, result.path("ramenStatus").asInt());
        ramen.verify(exactly(2), postRequestedFor(urlEqualTo(PO)));
    }

    @Test
    void throttledWithRetryAfterIsRetriedNoSoonerThanRamenAsked() {
        ramen.stubFor(post(urlEqualTo(PO)).inScenario("throttle").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("open"));
        ramen.stubFor(post(urlEqualTo(PO)).inScenario("throttle").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200)));

        long started = System.nanoTime();
        Answer answer = sendOne(RamenEvents.uniqueId("m"));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(200, answer.status(), answer::toString);
        JsonNode result = onlyResult(answer);
        assertEquals("delivered", result.path("status").asText());
        assertEquals(2, result.path("attempts").asInt());
        assertTrue(elapsedMs >= 1000, "Retry-After: 1 must be waited out, took " + elapsedMs + " ms");
        List<ServeEvent> events = chronological();
        assertEquals(2, events.size());
        long gapMs = events.get(1).getRequest().getLoggedDate().getTime() - events.get(0).getRequest().getLoggedDate().getTime();
        assertTrue(gapMs >= 990, "second request came " + gapMs + " ms after the first");
    }

    /** docs/CONTRACT.md §5: a Retry-After beyond the deadline ends the event at once and is passed on, whatever status it came with. */
    @ParameterizedTest
    @CsvSource({"429, ramen_throttled", "503, ramen_unavailable"})
    void retryAfterBeyondTheDeadlineFailsAtOnceAndIsPassedOn(int status, String reason) {
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withStatus(status).withHeader("Retry-After", "30")));

        long started = System.nanoTime();
        Answer answer = sendOne(RamenEvents.uniqueId("m"));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(status, answer.status(), answer::toString);
        assertEquals("30", answer.header("Retry-After"));
        JsonNode result = onlyResult(answer);
        assertEquals("failed", result.path("status").asText());
        assertEquals(reason, result.path("reason").asText());
        assertEquals(1, result.path("attempts").asInt());
        assertEquals(status, result.path("ramenStatus").asInt());
        assertTrue(elapsedMs < 1000, "must not wait for a Retry-After it cannot honour, took " + elapsedMs + " ms");
        ramen.verify(exactly(1), postRequestedFor(urlEqualTo(PO)));
    }

    /**
     * Whatever Retry-After Ramen sends with a 429 or a 503 — seconds beyond a long, dates in the year
     * 999 999 999 or in the past, garbage — the answer is that retryable status (never a 5xx of our
     * own), with a Retry-After of 1..300 s: exactly 300 for anything longer. Through both doors.
     */
    @ParameterizedTest(name = "{0}: Ramen {1} with Retry-After ''{2}''")
    @CsvSource(delimiter = '|', value = {
            "HTTP           | 429 | 999999999                      | 300",
            "HTTP           | 503 | 99999999999999999999           | 300",
            "HTTP           | 429 | Fri Jan  1 00:00:00 +999999999 | 300",
            "API_GATEWAY_V2 | 503 | Fri Jan  1 00:00:00 +999999999 | 300",
            "HTTP           | 503 | Fri, 31 Dec 9999 23:59:59 GMT  | 300",
            "API_GATEWAY_V2 | 429 | Sun, 06 Nov 1994 08:49:37 GMT  | 1",
            "HTTP           | 503 | Thu, 01 Jan 1970 00:00:00 GMT  | 1",
            "HTTP           | 429 | -5                             | 1",
            "API_GATEWAY_V2 | 503 | 1e9                            | ",
            "HTTP           | 429 | Fri, 32 Foo 99999 99:99:99 XYZ | 1"})
    void everyRetryAfterFromRamenIsPassedOnWithinFiveMinutes(EntryPoint door, int status, String retryAfter, String expected) {
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withStatus(status).withHeader("Retry-After", retryAfter)));

        Answer answer = door.postJson(RamenEvents.track(RamenEvents.uniqueId("user"), RamenEvents.uniqueId("m")));

        assertEquals(status, answer.status(), answer::toString);
        assertEquals(expected, answer.header("Retry-After"), answer::toString);
        assertEquals("failed", onlyResult(answer).path("status").asText());
    }

    /**
     * docs/CONTRACT.md §5: Ramen answering 301 (e.g. RAMEN_BASE_URL=http://…) is a failed
     * {@code ramen_redirect}, logged at ERROR, 503 to Segment so it keeps the event: never rejected.
     */
    @Test
    void redirectFromRamenFailsTheEventAsAConfigurationErrorLoggedAtError() {
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withStatus(301).withHeader("Location", "https://ramen.is/po.json")));
        String messageId = RamenEvents.uniqueId("redirected");

        Answer answer;
        try (io.segmentramen.testing.LogCapture logs = io.segmentramen.testing.LogCapture.on("io.segmentramen", "io.segmentramen.outcome")) {
            answer = sendOne(messageId);
            assertTrue(logs.text().lines().anyMatch(line -> (line.startsWith("ERROR") || line.startsWith("SEVERE")) && line.contains(messageId)
                    && line.contains("ramen_redirect")), "an ERROR outcome line:\n" + logs.text());
        }

        assertEquals(503, answer.status(), answer::toString);
        JsonNode result = onlyResult(answer);
        assertEquals("failed", result.path("status").asText());
        assertEquals("ramen_redirect", result.path("reason").asText());
        assertEquals(301, result.path("ramenStatus").asInt());
        assertEquals(1, result.path("attempts").asInt());
        ramen.verify(exactly(1), postRequestedFor(urlEqualTo(PO)));
    }

    @Test
    void unavailableRamenIsTriedMaxAttemptsTimesThenFails() {
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withStatus(503)));

        Answer answer = sendOne(RamenEvents.uniqueId("m"));

        assertEquals(503, answer.status(), answer::toString);
        assertNull(answer.header("Retry-After"), "503 from Ramen without Retry-After: nothing to pass on");
        JsonNode result = onlyResult(answer);
        assertEquals("failed", result.path("status").asText());
        assertEquals("ramen_unavailable", result.path("reason").asText());
        assertEquals(3, result.path("attempts").asInt());
        assertEquals(503, result.path("ramenStatus").asInt());
        assertEquals(1, answer.json().path("failed").asInt());
        ramen.verify(exactly(3), postRequestedFor(urlEqualTo(PO)));
    }

    @Test
    void slowerThanRamenTimeoutIsRetriedThenFailsAsTimeout() {
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withStatus(200).withFixedDelay(1_500)));

        long started = System.nanoTime();
        Answer answer = sendOne(RamenEvents.uniqueId("m"));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(503, answer.status(), answer::toString);
        JsonNode result = onlyResult(answer);
        assertEquals("failed", result.path("status").asText());
        assertEquals("ramen_timeout", result.path("reason").asText());
        assertEquals(3, result.path("attempts").asInt());
        assertTrue(elapsedMs < 3_500, "three 500 ms attempts within the 3 s deadline, took " + elapsedMs + " ms");
        ramen.verify(exactly(3), postRequestedFor(urlEqualTo(PO)));
    }

    @Test
    void connectionResetGetsOneFreshConnectionRetryPlusThreeAttempts() {
        poolAConnection();
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Answer answer;
        try (LogCapture vertx = LogCapture.on("io.vertx")) {
            answer = sendOne(RamenEvents.uniqueId("m"));
            // reported once, for its event, with a reason code; not again by Vert.x at ERROR
            assertTrue(vertx.text().lines().noneMatch(line -> line.startsWith("ERROR") || line.startsWith("SEVERE")),
                    "Vert.x logged the handled failure:\n" + vertx.text());
        }

        assertEquals(503, answer.status(), answer::toString);
        JsonNode result = onlyResult(answer);
        assertEquals("failed", result.path("status").asText());
        assertEquals("ramen_unreachable", result.path("reason").asText());
        assertEquals(3, result.path("attempts").asInt(), "the fresh-connection retry does not count as an attempt");
        ramen.verify(exactly(4), postRequestedFor(urlEqualTo(PO)));
    }

    /** docs/CONTRACT.md §5: the free retry is for a reused pooled connection, so the test first leaves one in the pool. */
    private void poolAConnection() {
        ramen.stubFor(post(urlEqualTo(PO)).atPriority(20).willReturn(aResponse().withStatus(200)));
        assertEquals(200, sendOne(RamenEvents.uniqueId("pooled")).status());
        ramen.resetAll();
    }

    @Test
    void connectionResetOnceIsRecoveredWithoutUsingAnAttempt() {
        poolAConnection();
        ramen.stubFor(post(urlEqualTo(PO)).inScenario("stale").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("fresh"));
        ramen.stubFor(post(urlEqualTo(PO)).inScenario("stale").whenScenarioStateIs("fresh")
                .willReturn(aResponse().withStatus(200)));

        Answer answer = sendOne(RamenEvents.uniqueId("m"));

        assertEquals(200, answer.status(), answer::toString);
        JsonNode result = onlyResult(answer);
        assertEquals("delivered", result.path("status").asText());
        assertEquals(1, result.path("attempts").asInt());
        ramen.verify(exactly(2), postRequestedFor(urlEqualTo(PO)));
    }

    @ParameterizedTest(name = "Ramen {0} → failed {1}")
    @CsvSource({"401, ramen_unauthorized", "404, ramen_unknown_organization"})
    void configurationErrorsFailAtOnceSoThatSegmentRetriesLater(int status, String reason) {
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withStatus(status).withBody("{\"error\":\"nope\"}")));

        Answer answer = sendOne(RamenEvents.uniqueId("m"));

        assertEquals(503, answer.status(), answer::toString);
        JsonNode result = onlyResult(answer);
        assertEquals("failed", result.path("status").asText());
        assertEquals(reason, result.path("reason").asText());
        assertEquals(1, result.path("attempts").asInt());
        assertEquals(status, result.path("ramenStatus").asInt());
        ramen.verify(exactly(1), postRequestedFor(urlEqualTo(PO)));
    }

    @ParameterizedTest(name = "Ramen {0} → rejected")
    @CsvSource(delimiter = '|', value = {
            "400 | {\"error\":\"user.id is required\"} | user.id is required",
            "422 | {\"message\":\"company.url is not a URL\"} | company.url is not a URL",
            "403 | {\"error\":{\"message\":\"plan does not allow this\"}} | plan does not allow this",
            "501 | not implemented here | not implemented here"})
    void permanentRefusalsAreRejectedWithRamensMessage(int status, String body, String message) {
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withStatus(status).withBody(body)));

        Answer answer = sendOne(RamenEvents.uniqueId("m"));

        assertEquals(400, answer.status(), "a single rejected event is a 400: " + answer);
        JsonNode result = onlyResult(answer);
        assertEquals("rejected", result.path("status").asText());
        assertEquals("ramen_rejected", result.path("reason").asText());
        assertEquals(status, result.path("ramenStatus").asInt());
        assertEquals(1, result.path("attempts").asInt());
        assertTrue(result.path("message").asText().contains(message), result.toString());
        assertTrue(result.path("message").asText().contains(Integer.toString(status)), result.toString());
        ramen.verify(exactly(1), postRequestedFor(urlEqualTo(PO)));
    }

    @Test
    void requestCarriesJsonApiKeyAndUserAgent() {
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withStatus(200)));
        String messageId = RamenEvents.uniqueId("m");

        Answer answer = sendOne(messageId);

        assertEquals(200, answer.status(), answer::toString);
        ramen.verify(exactly(1), postRequestedFor(urlEqualTo(PO))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("RAMEN_API_KEY", equalTo(FaultProfile.API_KEY))
                .withHeader("User-Agent", matching("segment-ramen-destination/\\d+\\.\\d+\\.\\d+.*"))
                .withRequestBody(matchingJsonPath("$.message_id", equalTo(messageId)))
                .withRequestBody(matchingJsonPath("$.organization_id", equalTo("sandbox-org")))
                .withRequestBody(matchingJsonPath("$._partner", equalTo("segment.com")))
                .withRequestBody(matchingJsonPath("$.event.name", equalTo("Fault Injected"))));
        JsonNode sent = Fixtures.parse(ramen.getAllServeEvents().get(0).getRequest().getBodyAsString());
        assertTrue(sent.toString().indexOf(FaultProfile.API_KEY) < 0, "the API key travels in a header, never in the payload");
    }

    @Test
    void laterEventsOfAFailedVisitorAreBlockedAndNeverSent() {
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withStatus(503)));
        String user = RamenEvents.uniqueId("user");
        String first = RamenEvents.uniqueId("m");
        String second = RamenEvents.uniqueId("m");
        String third = RamenEvents.uniqueId("m");
        String batch = "[" + RamenEvents.track(user, first) + "," + RamenEvents.track(user, second) + ","
                + RamenEvents.track(user, third) + "]";

        Answer answer = EntryPoint.HTTP.postJson(batch);

        assertEquals(503, answer.status(), answer::toString);
        JsonNode results = answer.json().path("results");
        assertEquals(3, answer.json().path("failed").asInt());
        assertEquals("ramen_unavailable", results.get(0).path("reason").asText());
        for (int i = 1; i < 3; i++) {
            assertEquals("failed", results.get(i).path("status").asText());
            assertEquals("blocked_by_earlier_failure", results.get(i).path("reason").asText());
            assertEquals(0, results.get(i).path("attempts").asInt());
        }
        ramen.verify(exactly(3), postRequestedFor(urlEqualTo(PO)).withRequestBody(matchingJsonPath("$.message_id", equalTo(first))));
        assertEquals(3, requestsReceived(), "only the first event's three attempts reach Ramen");
    }

    private List<ServeEvent> chronological() {
        return ramen.getAllServeEvents().stream()
                .sorted(Comparator.comparing(event -> event.getRequest().getLoggedDate()))
                .toList();
    }

    @Test
    void apiGatewayDeadlineCountsFromTheRequestTimeEpoch() {
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withStatus(200).withFixedDelay(300)));
        byte[] body = RamenEvents.track(RamenEvents.uniqueId("user"), RamenEvents.uniqueId("m")).getBytes(StandardCharsets.UTF_8);

        // API Gateway received the request 2.85 s ago (queueing, cold start): of the 3 s deadline only ~150 ms remain,
        // less than Ramen's 300 ms answer, although RAMEN_TIMEOUT alone (500 ms) would have allowed it.
        String stale = LambdaEvents.apiGatewayV2("POST", Map.of("Content-Type", "application/json"), body,
                System.currentTimeMillis() - 2_850);
        JsonNode response = Fixtures.parse(Endpoints.lambda().contentType("application/json").body(stale.getBytes(StandardCharsets.UTF_8))
                .post().then().statusCode(200).extract().asString());

        assertEquals(503, response.path("statusCode").asInt(), response::toString);
        JsonNode result = Fixtures.parse(response.path("body").asText()).path("results").get(0);
        assertEquals("failed", result.path("status").asText(), result::toString);
        assertTrue(Set.of("ramen_timeout", "deadline_exceeded").contains(result.path("reason").asText()), result::toString);

        ramen.resetAll();
        ramen.stubFor(post(urlEqualTo(PO)).willReturn(aResponse().withStatus(200).withFixedDelay(300)));
        Answer fresh = EntryPoint.API_GATEWAY_V2.postJson(RamenEvents.track(RamenEvents.uniqueId("user"), RamenEvents.uniqueId("m")));
        assertEquals(200, fresh.status(), "the same request, just received, is delivered: " + fresh);
    }
}
