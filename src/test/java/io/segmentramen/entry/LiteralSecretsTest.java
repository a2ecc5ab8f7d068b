package io.segmentramen.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.config.ConfigurationSummary;
import io.segmentramen.config.DestinationConfig;
import io.segmentramen.config.Secrets;
import io.segmentramen.config.SegmentConfig;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.EntryPoint.Answer;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.LambdaEvents;
import io.segmentramen.testing.LambdaEvents.SqsRecord;
import io.segmentramen.testing.ResetFakeRamen;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets and tokens are used exactly as stored, whatever characters they hold ({@link LiteralSecretsProfile}):
 * the bearer token and {@code X-Signature} on {@code POST /events} through both doors, the buffered
 * mode's authorizer and queue consumer, the Secure Mode hash and the API key Ramen receives, and the
 * start summary — current and previous values alike.
 */
@QuarkusTest
@ExtendWith(ResetFakeRamen.class)
@TestProfile(LiteralSecretsProfile.class)
class LiteralSecretsTest {

    private static final List<String> TOKENS = List.of(LiteralSecretsProfile.AUTH_TOKEN, LiteralSecretsProfile.PREVIOUS_AUTH_TOKEN);
    private static final List<String> SHARED_SECRETS = List.of(LiteralSecretsProfile.SHARED_SECRET, LiteralSecretsProfile.PREVIOUS_SHARED_SECRET);

    @Inject
    Secrets secrets;

    @Inject
    DestinationConfig ramenConfig;

    @Inject
    SegmentConfig segmentConfig;

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    private static String event(String messageId) {
        return "{\"type\":\"track\",\"event\":\"Literal\",\"userId\":\"u-" + UUID.randomUUID() + "\",\"messageId\":\"" + messageId + "\"}";
    }

    private static String sign(String secret, String body) {
        return RequestAuthenticator.hmacSha1Hex(secret.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
    }

    /** What the configuration library's expression processing would have made of a value with ${HOME}. */
    private static String expanded(String value) {
        return value.replace("${HOME}", System.getenv("HOME"));
    }

    private static JsonNode invoke(String lambdaEvent) {
        return Fixtures.parse(Endpoints.invoke(lambdaEvent).statusCode(200).extract().asString());
    }

    private static Answer send(EntryPoint entry, String body, String header, String value) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json", header, value));
        return entry.post(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private void assertDelivered(Answer answer, String messageId) {
        assertEquals(200, answer.status(), answer::toString);
        assertEquals(1, answer.json().path("delivered").asInt(), answer::toString);
        assertEquals(messageId, Fixtures.parse(onlyRequestReceived().getBodyAsString()).path("message_id").asText());
        ramen.resetRequests();
    }

    private LoggedRequest onlyRequestReceived() {
        List<LoggedRequest> received = ramen.findAll(anyRequestedFor(urlPathEqualTo("/po.json")));
        assertEquals(1, received.size(), received::toString);
        return received.get(0);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void bearerTokensAreTakenLiterally(EntryPoint entry) {
        for (String token : TOKENS) {
            String messageId = "literal-bearer-" + UUID.randomUUID();
            assertDelivered(send(entry, event(messageId), "Authorization", "Bearer " + token), messageId);
        }
        Answer expandedToken = send(entry, event("literal-expanded"), "Authorization", "Bearer " + expanded(LiteralSecretsProfile.AUTH_TOKEN));
        assertEquals(401, expandedToken.status(), expandedToken::toString);
        assertEquals(0, ramen.getAllServeEvents().size());
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void signaturesAreCheckedWithTheSharedSecretsAsStored(EntryPoint entry) {
        for (String secret : SHARED_SECRETS) {
            String messageId = "literal-signed-" + UUID.randomUUID();
            String body = event(messageId);
            assertDelivered(send(entry, body, "X-Signature", sign(secret, body)), messageId);
        }
        String body = event("literal-signed-expanded");
        Answer expandedSecret = send(entry, body, "X-Signature", sign(expanded(LiteralSecretsProfile.SHARED_SECRET), body));
        assertEquals(401, expandedSecret.status(), expandedSecret::toString);
    }

    @Test
    void theAuthorizerTakesTheTokensLiterally() {
        for (String token : TOKENS) {
            assertEquals(Fixtures.parse("{\"isAuthorized\":true}"), invoke(LambdaEvents.authorizer("Bearer " + token)), token);
        }
        assertEquals(Fixtures.parse("{\"isAuthorized\":false}"),
                invoke(LambdaEvents.authorizer("Bearer " + expanded(LiteralSecretsProfile.AUTH_TOKEN))));
    }

    @Test
    void theQueueConsumerChecksRecordsWithTheValuesAsStored() {
        String bySecret = event("literal-sqs-secret");
        String byPreviousSecret = event("literal-sqs-previous-secret");
        String byExpandedSecret = event("literal-sqs-expanded-secret");
        JsonNode answer = invoke(LambdaEvents.sqs(
                new SqsRecord("rec-token", event("literal-sqs-token"), Map.of("Authorization", "Bearer " + LiteralSecretsProfile.AUTH_TOKEN)),
                new SqsRecord("rec-previous-token", event("literal-sqs-previous-token"),
                        Map.of("Authorization", "Bearer " + LiteralSecretsProfile.PREVIOUS_AUTH_TOKEN)),
                new SqsRecord("rec-secret", bySecret, Map.of("X-Signature", sign(LiteralSecretsProfile.SHARED_SECRET, bySecret))),
                new SqsRecord("rec-previous-secret", byPreviousSecret,
                        Map.of("X-Signature", sign(LiteralSecretsProfile.PREVIOUS_SHARED_SECRET, byPreviousSecret))),
                new SqsRecord("rec-expanded-secret", byExpandedSecret,
                        Map.of("X-Signature", sign(expanded(LiteralSecretsProfile.SHARED_SECRET), byExpandedSecret)))));

        assertEquals(Fixtures.parse("{\"batchItemFailures\":[{\"itemIdentifier\":\"rec-expanded-secret\"}]}"), answer);
        assertEquals(4, ramen.getAllServeEvents().size());
    }

    @Test
    void ramenReceivesTheApiKeyAndAHashOverTheSecretKeyAsStored() throws NoSuchAlgorithmException {
        String event = "{\"type\":\"identify\",\"messageId\":\"literal-signed-identify\",\"userId\":\"u-literal\","
                + "\"traits\":{\"email\":\"lit@example.com\",\"name\":\"Lit Eral\"}}";
        JsonNode report = invoke(event); // a direct invocation: authenticated by IAM, whatever the request secrets
        assertEquals(1, report.path("delivered").asInt(), report::toString);

        LoggedRequest received = onlyRequestReceived();
        JsonNode payload = Fixtures.parse(received.getBodyAsString());
        long timestamp = payload.path("timestamp").asLong();
        String material = "lit@example.com:u-literal:Lit Eral:" + timestamp + ":" + LiteralSecretsProfile.SECRET_KEY;
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("RAMEN_API_KEY header", LiteralSecretsProfile.API_KEY, "auth_hash", hash),
                Map.of("RAMEN_API_KEY header", String.valueOf(received.getHeader("RAMEN_API_KEY")), "auth_hash", payload.path("auth_hash").asText()),
                payload::toString);
    }

    @Test
    void theStartSummarySaysEverySecretIsSetAndShowsNone() {
        String summary = ConfigurationSummary.summary(ramenConfig, segmentConfig, secrets, false);
        for (String expected : new String[] {"auth=x-signature+bearer", "(RAMEN_SECRET_KEY set)", "apiKey=set"}) {
            assertTrue(summary.contains(expected), expected + " in " + summary);
        }
        for (String secret : List.of(LiteralSecretsProfile.AUTH_TOKEN, LiteralSecretsProfile.SHARED_SECRET,
                LiteralSecretsProfile.SECRET_KEY, LiteralSecretsProfile.API_KEY)) {
            assertFalse(summary.contains(secret), summary);
        }
    }
}
