package io.segmentramen.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.observability.MetricsEmitter;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.EntryPoint.Answer;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.LogCapture;
import io.segmentramen.testing.ResetFakeRamen;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request authentication (docs/CONTRACT.md §6), through the HTTP resource and an API Gateway HTTP
 * API event alike: X-Signature is the hex HMAC-SHA1 of the raw bytes (the whole body, or the raw
 * element of a one-element array), never of re-serialised JSON; or a bearer token; current or
 * previous values.
 * Unauthenticated requests never reach Ramen.
 */
@QuarkusTest
@ExtendWith(ResetFakeRamen.class)
@TestProfile(AuthProfile.class)
class RequestAuthenticationTest {

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    /** An event laid out unusually, so that any re-serialisation changes its bytes. */
    private static String spaciousEvent() {
        return "{ \"type\" : \"track\",\n  \"event\": \"Signed Up\" ,\"userId\":\"u-" + UUID.randomUUID()
                + "\",  \"messageId\": \"auth-" + UUID.randomUUID() + "\",\"properties\":{\"plan\" : \"pro\", \"seats\": 1.50}\n}";
    }

    private static String sign(String text) {
        return sign(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(byte[] bytes) {
        return RequestAuthenticator.hmacSha1Hex(AuthProfile.SHARED_SECRET.getBytes(StandardCharsets.UTF_8), bytes);
    }

    private static Answer send(EntryPoint entry, String body, Map<String, String> credentials) {
        Map<String, String> headers = new java.util.HashMap<>(credentials);
        headers.put("Content-Type", "application/json");
        return entry.post(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private void assertAccepted(Answer answer, int delivered) {
        assertAccepted(answer, delivered, delivered);
    }

    private void assertAccepted(Answer answer, int delivered, int ramenRequestsSoFar) {
        assertEquals(200, answer.status(), answer::toString);
        assertEquals(delivered, answer.json().path("delivered").asInt(), answer::toString);
        assertEquals(ramenRequestsSoFar, ramen.getAllServeEvents().size());
    }

    private void assertRefused(Answer answer, String code) {
        assertEquals(401, answer.status(), answer::toString);
        assertEquals(code, answer.json().path("error").path("code").asText(), answer::toString);
        assertEquals(0, ramen.getAllServeEvents().size(), "an unauthenticated request never reaches Ramen");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void signatureOverTheRawBodyIsAccepted(EntryPoint entry) {
        String body = spaciousEvent();
        assertAccepted(send(entry, body, Map.of("X-Signature", sign(body))), 1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void missingCredentialsAreRefused(EntryPoint entry) {
        assertRefused(send(entry, spaciousEvent(), Map.of()), "missing_credentials");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void wrongSignatureIsRefused(EntryPoint entry) {
        String body = spaciousEvent();
        String wrong = RequestAuthenticator.hmacSha1Hex("another-secret".getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
        assertRefused(send(entry, body, Map.of("X-Signature", wrong)), "invalid_credentials");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void wrongCredentialsGet401BeforeTheBodyIsLookedAt(EntryPoint entry) {
        String wrong = RequestAuthenticator.hmacSha1Hex("another-secret".getBytes(StandardCharsets.UTF_8), "{".getBytes(StandardCharsets.UTF_8));
        assertRefused(send(entry, "{\"type\":", Map.of("X-Signature", wrong)), "invalid_credentials");
        assertRefused(send(entry, "[{\"type\":", Map.of("X-Signature", wrong)), "invalid_credentials");
        assertRefused(send(entry, "not json", Map.of("Authorization", "Bearer wrong-token")), "invalid_credentials");
        Map<String, String> textPlain = new java.util.HashMap<>(Map.of("X-Signature", wrong, "Content-Type", "text/plain"));
        Answer answer = entry.post(textPlain, "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(401, answer.status(), answer::toString);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void validSignatureOverAMalformedBodyGetsTheParseError(EntryPoint entry) {
        String body = "{\"type\":";
        Answer answer;
        JsonNode metrics;
        try (LogCapture logs = LogCapture.on(MetricsEmitter.CATEGORY)) {
            answer = send(entry, body, Map.of("X-Signature", sign(body)));
            metrics = logs.metricsLine();
        }
        assertEquals(400, answer.status(), answer::toString);
        assertEquals("invalid_json", answer.json().path("error").path("code").asText(), answer::toString);
        // no event, so no outcome line: the refusal is counted itself (Refused, Refused_<code>)
        assertEquals(1, metrics.path("Refused").asInt(), metrics::toString);
        assertEquals(1, metrics.path("Refused_invalid_json").asInt(), metrics::toString);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void signatureOverReserialisedJsonIsRefused(EntryPoint entry) {
        String body = spaciousEvent();
        String compact = io.segmentramen.testing.Fixtures.parse(body).toString();
        assertNotEquals(body, compact);
        assertRefused(send(entry, body, Map.of("X-Signature", sign(compact))), "invalid_credentials");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void arrayOfOneSignedOverItsRawElementIsAccepted(EntryPoint entry) {
        String first = spaciousEvent();
        assertAccepted(send(entry, "[\n  " + first + " \n]", Map.of("X-Signature", sign(first))), 1);
    }

    /**
     * docs/CONTRACT.md §2, {@code batch_needs_token}: Segment's signature on a batched array covers
     * its first element only, so whoever holds one signed request could append forged identities to
     * it. 503 (retryable: Segment does not retry 401) so that Segment keeps the events while the
     * operator configures the bearer token.
     */
    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void arrayOfSeveralSignedOverItsFirstElementOnlyIsAnsweredBatchNeedsToken(EntryPoint entry) {
        String first = spaciousEvent();
        String body = "[\n  " + first + " ,\n  " + spaciousEvent() + "\n]";
        Answer answer;
        JsonNode metrics;
        try (LogCapture logs = LogCapture.on(MetricsEmitter.CATEGORY)) {
            answer = send(entry, body, Map.of("X-Signature", sign(first)));
            metrics = logs.metricsLine();
        }
        assertEquals(503, answer.status(), answer::toString);
        assertEquals("batch_needs_token", answer.json().path("error").path("code").asText(), answer::toString);
        assertTrue(answer.json().path("error").path("message").asText().contains("SEGMENT_AUTH_TOKEN"), answer::toString);
        assertEquals(0, ramen.getAllServeEvents().size(), "nothing of the batch reaches Ramen");
        // a configuration error, counted failed (once: the body is not read before authentication).
        assertEquals(1, metrics.path("Failed").asInt(), metrics.toString());
        assertEquals(1, metrics.path("Failed_batch_needs_token").asInt(), metrics.toString());
        assertEquals(1, metrics.path("ConfigurationErrors").asInt(), metrics.toString());
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void sameBatchWithTheBearerTokenIsDelivered(EntryPoint entry) {
        String first = spaciousEvent();
        String body = "[" + first + "," + spaciousEvent() + "]";
        assertAccepted(send(entry, body, Map.of("X-Signature", sign(first), "Authorization", "Bearer " + AuthProfile.AUTH_TOKEN)), 2);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void arraySignedOverTheWholeBodyIsAccepted(EntryPoint entry) {
        String body = "[" + spaciousEvent() + "," + spaciousEvent() + "]";
        assertAccepted(send(entry, body, Map.of("X-Signature", sign(body))), 2);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void previousSecretAndTokenAreAcceptedDuringARotation(EntryPoint entry) {
        String body = spaciousEvent();
        String previousSignature = RequestAuthenticator.hmacSha1Hex(AuthProfile.PREVIOUS_SHARED_SECRET.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8));
        assertAccepted(send(entry, body, Map.of("X-Signature", previousSignature)), 1);
        assertAccepted(send(entry, spaciousEvent(), Map.of("Authorization", "Bearer " + AuthProfile.PREVIOUS_AUTH_TOKEN)), 1, 2);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void aThirdSecretOrTokenIsRefused(EntryPoint entry) {
        String body = spaciousEvent();
        String older = RequestAuthenticator.hmacSha1Hex("test-shared-secret-older".getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8));
        assertRefused(send(entry, body, Map.of("X-Signature", older)), "invalid_credentials");
        assertRefused(send(entry, spaciousEvent(), Map.of("Authorization", "Bearer test-auth-token-older")), "invalid_credentials");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void arraySignedOverTheCompactFirstElementIsRefused(EntryPoint entry) {
        String first = spaciousEvent();
        String body = "[" + first + "]";
        assertRefused(send(entry, body, Map.of("X-Signature", sign(io.segmentramen.testing.Fixtures.parse(first).toString()))),
                "invalid_credentials");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void batchDocumentIsSignedOverTheWholeBody(EntryPoint entry) {
        String body = "{\"batch\": [" + spaciousEvent() + "], \"context\": {\"library\": {\"name\": \"test\"}}}";
        assertAccepted(send(entry, body, Map.of("X-Signature", sign(body))), 1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void validBearerTokenIsAccepted(EntryPoint entry) {
        assertAccepted(send(entry, spaciousEvent(), Map.of("Authorization", "Bearer " + AuthProfile.AUTH_TOKEN)), 1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void wrongBearerTokenIsRefused(EntryPoint entry) {
        assertRefused(send(entry, spaciousEvent(), Map.of("Authorization", "Bearer " + AuthProfile.AUTH_TOKEN + "x")),
                "invalid_credentials");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void tokenOfAnotherSchemeIsRefused(EntryPoint entry) {
        assertRefused(send(entry, spaciousEvent(), Map.of("Authorization", "Basic " + AuthProfile.AUTH_TOKEN)), "invalid_credentials");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void headerNamesAreCaseInsensitive(EntryPoint entry) {
        String body = spaciousEvent();
        assertAccepted(send(entry, body, Map.of("x-SIGNATURE", sign(body))), 1);
        assertAccepted(send(entry, spaciousEvent(), Map.of("AUTHORIZATION", "bearer " + AuthProfile.AUTH_TOKEN)), 1, 2);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void requestWithoutCredentialsIsRefusedBeforeItsBodyIsJudged(EntryPoint entry) {
        assertRefused(send(entry, "{not json", Map.of()), "missing_credentials");
        assertRefused(entry.post(Map.of("Content-Type", "text/plain"), "hello".getBytes(StandardCharsets.UTF_8)), "missing_credentials");
    }

    @org.junit.jupiter.api.Test
    void restApiPayloadOneIsAuthenticatedTheSameWay() {
        String body = spaciousEvent();
        String signed = io.segmentramen.testing.LambdaEvents.apiGatewayV1("POST",
                Map.of("Content-Type", "application/json", "X-Signature", sign(body)), body);
        String unsigned = io.segmentramen.testing.LambdaEvents.apiGatewayV1("POST", Map.of("Content-Type", "application/json"), spaciousEvent());

        com.fasterxml.jackson.databind.JsonNode accepted = io.segmentramen.testing.Fixtures.parse(io.segmentramen.testing.Endpoints.lambda()
                .contentType("application/json").body(signed.getBytes(StandardCharsets.UTF_8)).post().then().statusCode(200).extract().asString());
        com.fasterxml.jackson.databind.JsonNode refused = io.segmentramen.testing.Fixtures.parse(io.segmentramen.testing.Endpoints.lambda()
                .contentType("application/json").body(unsigned.getBytes(StandardCharsets.UTF_8)).post().then().statusCode(200).extract().asString());

        assertEquals(200, accepted.path("statusCode").asInt(), accepted::toString);
        assertEquals(401, refused.path("statusCode").asInt(), refused::toString);
        assertEquals(1, ramen.getAllServeEvents().size());
    }

    /**
     * The event {@code sam local generate-event apigateway aws-proxy} writes (REST API,
     * payload 1.0, base64 body, requestTimeEpoch of April 2015) carrying a signed Segment event is
     * delivered: a stale arrival time counts as unknown instead of a deadline long passed.
     */
    @org.junit.jupiter.api.Test
    void samGeneratedRestApiEventWithItsStaleTimeIsDelivered() throws Exception {
        String body = spaciousEvent();
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode) io.segmentramen.testing.Fixtures
                .parse(new String(getClass().getResourceAsStream("/events/sam-apigateway-aws-proxy.json").readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(1428582896000L, event.path("requestContext").path("requestTimeEpoch").asLong());
        event.put("body", java.util.Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("headers")).put("Content-Type", "application/json").put("X-Signature", sign(body));

        com.fasterxml.jackson.databind.JsonNode response = io.segmentramen.testing.Fixtures.parse(io.segmentramen.testing.Endpoints.lambda()
                .contentType("application/json").body(event.toString().getBytes(StandardCharsets.UTF_8)).post().then().statusCode(200)
                .extract().asString());

        assertEquals(200, response.path("statusCode").asInt(), response::toString);
        com.fasterxml.jackson.databind.JsonNode report = io.segmentramen.testing.Fixtures.parse(response.path("body").asText());
        assertEquals(1, report.path("delivered").asInt(), report::toString);
        assertEquals(1, ramen.getAllServeEvents().size());
    }
}
