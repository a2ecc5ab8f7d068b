package io.segmentramen.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.EntryPoint.Answer;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.ResetFakeRamen;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/CONTRACT.md §5: everything is bounded by one deadline. RAMEN_DEADLINE=1s, Ramen always 503 after 150 ms,
 * and more work than 16 connections can do in a second: the answer still comes at about the
 * deadline, and no event is missing from the report — all of them are failed, for Segment to retry.
 */
@QuarkusTest
@ExtendWith(ResetFakeRamen.class)
@TestProfile(ShortDeadlineQueryProfile.class)
class FaultDeadlineTest {

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    @Test
    void batchEndsAtTheDeadlineWithEveryEventFailed() {
        ramen.stubFor(any(urlPathEqualTo("/po.json")).willReturn(aResponse().withStatus(503).withFixedDelay(150)));
        int visitors = 60;
        List<String> events = new ArrayList<>();
        List<String> messageIds = new ArrayList<>();
        String chainUser = RamenEvents.uniqueId("chain");
        for (int i = 0; i < 3; i++) {
            String messageId = RamenEvents.uniqueId("chain-m" + i);
            messageIds.add(messageId);
            events.add(RamenEvents.track(chainUser, messageId));
        }
        for (int i = 0; i < visitors; i++) {
            String messageId = RamenEvents.uniqueId("m" + i);
            messageIds.add(messageId);
            events.add(RamenEvents.track(RamenEvents.uniqueId("user"), messageId));
        }

        long started = System.nanoTime();
        Answer answer = EntryPoint.HTTP.postJson("[" + String.join(",", events) + "]");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(503, answer.status(), answer::toString);
        assertTrue(elapsedMs < 3_000, "a 1 s deadline must end the request in about 1 s, took " + elapsedMs + " ms");
        JsonNode report = answer.json();
        assertEquals(messageIds.size(), report.path("failed").asInt(), answer::toString);
        assertEquals(0, report.path("delivered").asInt() + report.path("rejected").asInt() + report.path("skipped").asInt());
        JsonNode results = report.path("results");
        assertEquals(messageIds.size(), results.size());
        Set<String> reasons = new HashSet<>();
        for (int i = 0; i < results.size(); i++) {
            JsonNode result = results.get(i);
            assertEquals(i, result.path("index").asInt());
            assertEquals(messageIds.get(i), result.path("messageId").asText(), "report in request order, nobody missing");
            assertEquals("failed", result.path("status").asText(), result::toString);
            reasons.add(result.path("reason").asText());
            assertTrue(result.path("attempts").asInt() <= 3, result::toString);
        }
        assertEquals("blocked_by_earlier_failure", results.get(1).path("reason").asText());
        assertEquals("blocked_by_earlier_failure", results.get(2).path("reason").asText());
        assertTrue(reasons.contains("deadline_exceeded"),
                "63 events × ~0.5 s over 16 connections cannot fit 1 s: some must never start; reasons " + reasons);
        int sent = ramen.getAllServeEvents().size();
        int attempts = 0;
        for (JsonNode result : results) {
            attempts += result.path("attempts").asInt();
        }
        // An attempt cut to the last few milliseconds before the deadline may time out before its request
        // reaches Ramen, so Ramen can see fewer requests than the report counts attempts, never more.
        assertTrue(sent <= attempts && sent >= 16, "Ramen saw " + sent + " requests for " + attempts + " attempts");
    }
}
