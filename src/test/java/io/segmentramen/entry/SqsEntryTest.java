package io.segmentramen.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.faults.FaultProfile;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.ResetFakeRamen;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.LambdaEvents;
import io.segmentramen.testing.LambdaEvents.SqsRecord;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Buffered mode (docs/CONTRACT.md §1, §2): an SQS event whose record bodies are what POST /events accepts. The
 * answer lists, by the SQS record's own messageId, exactly the records holding a failed event.
 */
@QuarkusTest
@ExtendWith(ResetFakeRamen.class)
@TestProfile(FaultProfile.class)
class SqsEntryTest {

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    private static String track(String userId, String messageId) {
        return "{\"type\":\"track\",\"event\":\"Queued\",\"userId\":\"" + userId + "\",\"messageId\":\"" + messageId + "\"}";
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static List<String> failedRecords(String sqsEvent) {
        JsonNode answer = Fixtures.parse(Endpoints.lambda().contentType("application/json").body(sqsEvent.getBytes(StandardCharsets.UTF_8))
                .post().then().statusCode(200).extract().asString());
        assertEquals(1, answer.size(), "the answer is the SQS partial batch response only: " + answer);
        List<String> ids = new ArrayList<>();
        answer.path("batchItemFailures").forEach(failure -> ids.add(failure.path("itemIdentifier").asText()));
        return ids;
    }

    @Test
    void allDeliveredListsNothing() {
        List<String> failed = failedRecords(LambdaEvents.sqs(
                new SqsRecord("rec-1", track(unique("u"), unique("m"))),
                new SqsRecord("rec-2", "[" + track(unique("u"), unique("m")) + "," + track(unique("u"), unique("m")) + "]"),
                new SqsRecord("rec-3", "{\"batch\":[" + track(unique("u"), unique("m")) + "]}")));

        assertEquals(List.of(), failed);
        assertEquals(4, ramen.getAllServeEvents().size());
    }

    @Test
    void transientlyFailingRecordIsListedByItsSqsMessageId() {
        String badUser = unique("bad-user");
        ramen.stubFor(post(urlEqualTo("/po.json")).atPriority(1).withRequestBody(matchingJsonPath("$.user.id", equalTo(badUser)))
                .willReturn(aResponse().withStatus(503)));
        String segmentMessageId = unique("m");

        List<String> failed = failedRecords(LambdaEvents.sqs(
                new SqsRecord("rec-ok-1", track(unique("u"), unique("m"))),
                new SqsRecord("rec-bad", track(badUser, segmentMessageId)),
                new SqsRecord("rec-ok-2", track(unique("u"), unique("m")))));

        assertEquals(List.of("rec-bad"), failed, "the SQS record id, not Segment's " + segmentMessageId);
        ramen.verify(exactly(3), postRequestedFor(urlEqualTo("/po.json")).withRequestBody(matchingJsonPath("$.user.id", equalTo(badUser))));
        assertEquals(5, ramen.getAllServeEvents().size());
    }

    @Test
    void rejectedEventIsLoggedNotRetried() {
        String badEmail = "{\"type\":\"identify\",\"userId\":\"" + unique("u") + "\",\"messageId\":\"" + unique("m")
                + "\",\"traits\":{\"email\":\"not an email\"}}";

        List<String> failed = failedRecords(LambdaEvents.sqs(
                new SqsRecord("rec-rejected", badEmail),
                new SqsRecord("rec-ok", track(unique("u"), unique("m")))));

        assertEquals(List.of(), failed);
        assertEquals(1, ramen.getAllServeEvents().size());
    }

    @Test
    void recordHoldingABatchWithOneFailedEventIsListed() {
        String badUser = unique("bad-user");
        ramen.stubFor(post(urlEqualTo("/po.json")).atPriority(1).withRequestBody(matchingJsonPath("$.user.id", equalTo(badUser)))
                .willReturn(aResponse().withStatus(500)));

        List<String> failed = failedRecords(LambdaEvents.sqs(
                new SqsRecord("rec-single", track(unique("u"), unique("m"))),
                new SqsRecord("rec-batch", "[" + track(unique("u"), unique("m")) + "," + track(badUser, unique("m")) + ","
                        + track(unique("u"), unique("m")) + "]")));

        assertEquals(List.of("rec-batch"), failed);
    }

    @Test
    void malformedBodyIsListedNeverDropped() {
        List<String> failed = failedRecords(LambdaEvents.sqs(
                new SqsRecord("rec-garbage", "{\"type\":\"track\", oops"),
                new SqsRecord("rec-empty", ""),
                new SqsRecord("rec-ok", track(unique("u"), unique("m")))));

        assertEquals(List.of("rec-garbage", "rec-empty"), failed, "malformed_record, kept for the dead-letter queue");
        assertEquals(1, ramen.getAllServeEvents().size());
    }

    @Test
    void laterRecordOfAFailedVisitorIsListedToo() {
        String badUser = unique("bad-user");
        ramen.stubFor(post(urlEqualTo("/po.json")).atPriority(1).withRequestBody(matchingJsonPath("$.message_id", equalTo("first-" + badUser)))
                .willReturn(aResponse().withStatus(503)));

        List<String> failed = failedRecords(LambdaEvents.sqs(
                new SqsRecord("rec-first", track(badUser, "first-" + badUser)),
                new SqsRecord("rec-second", track(badUser, "second-" + badUser))));

        assertEquals(List.of("rec-first", "rec-second"), failed, "the second is blocked_by_earlier_failure: both must come back, in order");
        ramen.verify(exactly(0), postRequestedFor(urlEqualTo("/po.json")).withRequestBody(matchingJsonPath("$.message_id", equalTo("second-" + badUser))));
    }
}
