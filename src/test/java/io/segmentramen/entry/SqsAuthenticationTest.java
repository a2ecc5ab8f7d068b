package io.segmentramen.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.observability.MetricsEmitter;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.LogCapture;
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
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication survives the queue (docs/CONTRACT.md §6). The X-Signature (or Authorization)
 * header travels as a message attribute and is verified over the record body, current or previous
 * values alike; an unauthenticated record is not processed and not dropped: it is listed for
 * redelivery.
 */
@QuarkusTest
@ExtendWith(ResetFakeRamen.class)
@TestProfile(AuthProfile.class)
class SqsAuthenticationTest {

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    private static String event(String messageId) {
        return "{\"type\": \"track\", \"event\": \"Queued\", \"userId\": \"u-" + UUID.randomUUID() + "\", \"messageId\": \"" + messageId + "\"}";
    }

    private static String sign(String body) {
        return RequestAuthenticator.hmacSha1Hex(AuthProfile.SHARED_SECRET.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode invoke(String sqsEvent) {
        return Fixtures.parse(Endpoints.lambda().contentType("application/json").body(sqsEvent.getBytes(StandardCharsets.UTF_8))
                .post().then().statusCode(200).extract().asString());
    }

    private static String signWith(String secret, String body) {
        return RequestAuthenticator.hmacSha1Hex(secret.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> failures(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.path("batchItemFailures").forEach(failure -> ids.add(failure.path("itemIdentifier").asText()));
        return ids;
    }

    /**
     * docs/CONTRACT.md §2, {@code unauthenticated_record}: a record whose credentials fail the
     * consumer's re-check is neither processed nor dropped: it is listed in batchItemFailures (so it
     * reaches the dead-letter queue) with a JSON outcome line naming the record, never its body.
     */
    @Test
    void unauthenticatedRecordsAreListedForTheDeadLetterQueueAndLoggedWithoutTheirBody() {
        String signed = "sqs-signed-" + UUID.randomUUID();
        String unsignedUser = "unsigned-user-" + UUID.randomUUID();
        String signedBody = event(signed);
        String unsignedBody = event("sqs-unsigned-" + UUID.randomUUID()).replaceFirst("\"userId\": \"u-[^\"]*\"", "\"userId\": \"" + unsignedUser + "\"");
        String wrongBody = event("sqs-wrong-" + UUID.randomUUID());
        String bearer = "sqs-bearer-" + UUID.randomUUID();

        JsonNode answer;
        try (LogCapture logs = LogCapture.on("io.segmentramen", "io.segmentramen.outcome", MetricsEmitter.CATEGORY)) {
            answer = invoke(LambdaEvents.sqs(
                    new SqsRecord("rec-signed", signedBody, Map.of("X-Signature", sign(signedBody))),
                    new SqsRecord("rec-unsigned", unsignedBody),
                    new SqsRecord("rec-wrong", wrongBody, Map.of("X-Signature", sign(event("other")))),
                    new SqsRecord("rec-bearer", event(bearer), Map.of("Authorization", "Bearer " + AuthProfile.AUTH_TOKEN))));

            String captured = logs.text();
            for (String record : List.of("rec-unsigned", "rec-wrong")) {
                assertTrue(captured.lines().anyMatch(line -> line.contains("\"sqsMessageId\":\"" + record + "\"")
                        && line.contains("\"status\":\"failed\"") && line.contains("\"reason\":\"unauthenticated_record\"")),
                        "a JSON outcome line for " + record + ":\n" + captured);
            }
            assertFalse(captured.contains(unsignedUser), "an unauthenticated body is never logged:\n" + captured);
            JsonNode metrics = logs.metricsLine();
            assertEquals(2, metrics.path("Failed_unauthenticated_record").asInt(), "each refused record counts: " + metrics);
            assertEquals(2, metrics.path("Failed").asInt(), metrics.toString());
            assertEquals(2, metrics.path("Delivered").asInt(), metrics.toString());
            assertEquals(0, metrics.path("AuthPrevious").asInt(), "current credentials only: " + metrics);
        }

        assertEquals(List.of("rec-unsigned", "rec-wrong"), failures(answer), "never deleted: " + answer);
        ramen.verify(exactly(1), postRequestedFor(urlEqualTo("/po.json")).withRequestBody(matchingJsonPath("$.message_id", equalTo(signed))));
        ramen.verify(exactly(1), postRequestedFor(urlEqualTo("/po.json")).withRequestBody(matchingJsonPath("$.message_id", equalTo(bearer))));
        assertEquals(2, ramen.getAllServeEvents().size(), "nothing of the unauthenticated records reaches Ramen");
    }

    /** Buffered mode across a rotation of SEGMENT_SHARED_SECRET and SEGMENT_AUTH_TOKEN. */
    @Test
    void recordsQueuedBeforeARotationStillPassAndARotatedOutValueDoesNot() {
        String oldSigned = "sqs-old-secret-" + UUID.randomUUID();
        String oldToken = "sqs-old-token-" + UUID.randomUUID();
        String oldSignedBody = event(oldSigned);
        String olderBody = event("sqs-older-" + UUID.randomUUID());

        JsonNode answer;
        try (LogCapture logs = LogCapture.on(MetricsEmitter.CATEGORY)) {
            answer = invoke(LambdaEvents.sqs(
                    new SqsRecord("rec-previous-secret", oldSignedBody, Map.of("X-Signature", signWith(AuthProfile.PREVIOUS_SHARED_SECRET, oldSignedBody))),
                    new SqsRecord("rec-previous-token", event(oldToken), Map.of("Authorization", "Bearer " + AuthProfile.PREVIOUS_AUTH_TOKEN)),
                    new SqsRecord("rec-older-secret", olderBody, Map.of("X-Signature", signWith("test-shared-secret-older", olderBody)))));
            JsonNode metrics = logs.metricsLine();
            assertEquals(2, metrics.path("AuthPrevious").asInt(), "each record accepted by a previous value counts: " + metrics);
            assertEquals(1, metrics.path("Failed_unauthenticated_record").asInt(), metrics.toString());
        }

        assertEquals(List.of("rec-older-secret"), failures(answer), answer::toString);
        ramen.verify(exactly(1), postRequestedFor(urlEqualTo("/po.json")).withRequestBody(matchingJsonPath("$.message_id", equalTo(oldSigned))));
        ramen.verify(exactly(1), postRequestedFor(urlEqualTo("/po.json")).withRequestBody(matchingJsonPath("$.message_id", equalTo(oldToken))));
        assertEquals(2, ramen.getAllServeEvents().size());
    }

    @Test
    void unsignedRecordAloneSendsNothingAndComesBack() {
        JsonNode answer = invoke(LambdaEvents.sqs(new SqsRecord("rec-only", event("sqs-only-" + UUID.randomUUID()))));

        assertEquals(List.of("rec-only"), failures(answer), answer::toString);
        assertEquals(0, ramen.getAllServeEvents().size());
    }
}
