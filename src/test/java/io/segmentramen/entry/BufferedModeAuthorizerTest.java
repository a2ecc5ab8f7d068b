package io.segmentramen.entry;

import io.segmentramen.observability.MetricsEmitter;
import io.segmentramen.testing.LogCapture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.json.Json;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.LambdaEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Buffered mode (docs/CONTRACT.md §6): the one handler also answers API Gateway's HTTP API Lambda REQUEST
 * authorizer (payload format 2.0, simple responses) from the bearer token, current or previous,
 * so that no unauthenticated body reaches the queue.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class BufferedModeAuthorizerTest {

    private static JsonNode invoke(String event) {
        return Fixtures.parse(Endpoints.lambda().contentType("application/json").body(event.getBytes(StandardCharsets.UTF_8))
                .post().then().statusCode(200).extract().asString());
    }

    private static void assertAnswer(boolean authorized, String authorization) {
        JsonNode answer = invoke(LambdaEvents.authorizer(authorization));
        assertEquals(Fixtures.parse("{\"isAuthorized\":" + authorized + "}"), answer, "for " + authorization);
    }

    @Test
    void currentAndPreviousTokensAreAuthorized() {
        assertAnswer(true, "Bearer " + AuthProfile.AUTH_TOKEN);
        assertAnswer(true, "Bearer " + AuthProfile.PREVIOUS_AUTH_TOKEN);
        assertAnswer(true, "bearer  " + AuthProfile.AUTH_TOKEN + " ");
    }

    /** docs/CONTRACT.md §6: an authorizer call accepted by SEGMENT_AUTH_TOKEN_PREVIOUS counts in AuthPrevious; the current token does not. */
    @Test
    void onlyThePreviousTokenCountsInAuthPrevious() {
        for (String token : new String[] {AuthProfile.AUTH_TOKEN, AuthProfile.PREVIOUS_AUTH_TOKEN}) {
            try (LogCapture logs = LogCapture.on(MetricsEmitter.CATEGORY)) {
                assertAnswer(true, "Bearer " + token);
                assertEquals(token.equals(AuthProfile.PREVIOUS_AUTH_TOKEN) ? 1 : 0, logs.metricsLine().path("AuthPrevious").asInt(),
                        logs.text());
            }
        }
    }

    @Test
    void anythingElseIsNot() {
        assertAnswer(false, "Bearer test-auth-token-older");
        assertAnswer(false, "Basic " + AuthProfile.AUTH_TOKEN);
        assertAnswer(false, AuthProfile.AUTH_TOKEN);
        assertAnswer(false, null);
    }

    @Test
    void identitySourceAloneIsEnough() {
        ObjectNode event = (ObjectNode) Fixtures.parse(LambdaEvents.authorizer("Bearer " + AuthProfile.AUTH_TOKEN));
        event.putObject("headers");
        assertEquals(Fixtures.parse("{\"isAuthorized\":true}"), invoke(Json.string(event)));
    }
}
