package io.segmentramen.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.Warmup;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.LambdaEvents;
import io.segmentramen.testing.LambdaEvents.SqsRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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

/**
 * SPEC §11: authentication survives the queue. The X-Signature (or Authorization) header travels
 * as a message attribute and is verified over the record body; an unauthenticated record is
 * dropped — not processed, and not listed for redelivery either.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class SqsAuthenticationTest {

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    @BeforeEach
    void reset() {
        Warmup.once(ramen, Map.of("Authorization", "Bearer " + AuthProfile.AUTH_TOKEN));
        FakeRamen.acceptAll(ramen);
    }

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

    @Test
    void signedRecordIsProcessedUnsignedAndWronglySignedAreDropped() {
        String signed = "sqs-signed-" + UUID.randomUUID();
        String unsigned = "sqs-unsigned-" + UUID.randomUUID();
        String wronglySigned = "sqs-wrong-" + UUID.randomUUID();
        String bearer = "sqs-bearer-" + UUID.randomUUID();
        String signedBody = event(signed);

        JsonNode answer = invoke(LambdaEvents.sqs(
                new SqsRecord("rec-signed", signedBody, Map.of("X-Signature", sign(signedBody))),
                new SqsRecord("rec-unsigned", event(unsigned)),
                new SqsRecord("rec-wrong", event(wronglySigned), Map.of("X-Signature", sign(event("other")))),
                new SqsRecord("rec-bearer", event(bearer), Map.of("Authorization", "Bearer " + AuthProfile.AUTH_TOKEN))));

        assertEquals(0, answer.path("batchItemFailures").size(), "dropped records are not redelivered: " + answer);
        ramen.verify(exactly(1), postRequestedFor(urlEqualTo("/po.json")).withRequestBody(matchingJsonPath("$.message_id", equalTo(signed))));
        ramen.verify(exactly(1), postRequestedFor(urlEqualTo("/po.json")).withRequestBody(matchingJsonPath("$.message_id", equalTo(bearer))));
        assertEquals(2, ramen.getAllServeEvents().size(), "nothing of the unauthenticated records reaches Ramen");
    }

    @Test
    void unsignedRecordAloneSendsNothing() {
        JsonNode answer = invoke(LambdaEvents.sqs(new SqsRecord("rec-only", event("sqs-only-" + UUID.randomUUID()))));

        assertEquals(0, answer.path("batchItemFailures").size(), answer::toString);
        assertEquals(0, ramen.getAllServeEvents().size());
    }
}
