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
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SPEC §13 buffered mode: the one handler also answers API Gateway's HTTP API Lambda REQUEST
 * authorizer (payload format 2.0, simple responses) from the bearer token, current or previous,
 * so that no unauthenticated body reaches the queue.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class BufferedModeAuthorizerTest {

    /** The event as AWS documents it for payload format 2.0, identity source {@code $request.header.Authorization}. */
    private static String authorizerEvent(String authorization) {
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("type", "REQUEST");
        event.put("routeArn", "arn:aws:execute-api:eu-west-1:123456789012:abcdef123/$default/POST/events");
        if (authorization != null) {
            event.putArray("identitySource").add(authorization);
        }
        event.put("routeKey", "POST /events");
        event.put("rawPath", "/events");
        event.put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        headers.put("content-type", "application/json");
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "123456789012");
        context.put("apiId", "abcdef123");
        context.put("requestId", "id");
        context.put("routeKey", "POST /events");
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        context.putObject("http").put("method", "POST").put("path", "/events").put("protocol", "HTTP/1.1").put("sourceIp", "203.0.113.7");
        return Json.string(event);
    }

    private static JsonNode invoke(String event) {
        return Fixtures.parse(Endpoints.lambda().contentType("application/json").body(event.getBytes(StandardCharsets.UTF_8))
                .post().then().statusCode(200).extract().asString());
    }

    private static void assertAnswer(boolean authorized, String authorization) {
        JsonNode answer = invoke(authorizerEvent(authorization));
        assertEquals(Fixtures.parse("{\"isAuthorized\":" + authorized + "}"), answer, "for " + authorization);
    }

    @Test
    void currentAndPreviousTokensAreAuthorized() {
        assertAnswer(true, "Bearer " + AuthProfile.AUTH_TOKEN);
        assertAnswer(true, "Bearer " + AuthProfile.PREVIOUS_AUTH_TOKEN);
        assertAnswer(true, "bearer  " + AuthProfile.AUTH_TOKEN + " ");
    }

    /** SPEC §14: an authorizer call accepted by SEGMENT_AUTH_TOKEN_PREVIOUS counts in AuthPrevious; the current token does not. */
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
        ObjectNode event = (ObjectNode) Fixtures.parse(authorizerEvent("Bearer " + AuthProfile.AUTH_TOKEN));
        event.putObject("headers");
        assertEquals(Fixtures.parse("{\"isAuthorized\":true}"), invoke(Json.string(event)));
    }
}
