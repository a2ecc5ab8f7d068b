package io.segmentramen.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.segmentramen.faults.FaultProfile;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.ResetFakeRamen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both doors deliver, and a direct invocation whose event failed ends in error (RAMEN_MAX_ATTEMPTS=3). */
@QuarkusTest
@TestProfile(FaultProfile.class)
@ExtendWith(ResetFakeRamen.class)
class EntryPointSmokeTest {

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    private void assertRamenReceived(int times, String messageId) {
        ramen.verify(exactly(times), postRequestedFor(urlEqualTo("/po.json"))
                .withRequestBody(matchingJsonPath("$.message_id", com.github.tomakehurst.wiremock.client.WireMock.equalTo(messageId)))
                .withRequestBody(matchingJsonPath("$.event.name", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Signed Up"))));
    }

    @Test
    void httpEntryDelivers() {
        String messageId = "smoke-http-" + UUID.randomUUID();
        Endpoints.http().contentType("application/json").body(Fixtures.track("Signed Up", messageId)).post("/events")
                .then().statusCode(200).body("delivered", equalTo(1));
        assertRamenReceived(1, messageId);
    }

    @Test
    void directInvocationDelivers() {
        String messageId = "smoke-lambda-" + UUID.randomUUID();
        Endpoints.invoke(Fixtures.track("Signed Up", messageId)).statusCode(200).body("delivered", equalTo(1));
        assertRamenReceived(1, messageId);
    }

    @Test
    void directInvocationWithFailedEventEndsInError() {
        String messageId = "smoke-lambda-failing-" + UUID.randomUUID();
        ramen.stubFor(post(urlEqualTo("/po.json")).atPriority(1).willReturn(aResponse().withStatus(503)));

        Response response = Endpoints.lambda().contentType("application/json").body(Fixtures.track("Signed Up", messageId).getBytes(StandardCharsets.UTF_8)).post();

        assertEquals(500, response.statusCode(), "the mock event server's answer to an invocation error: " + response.asString());
        JsonNode error = Fixtures.parse(response.asString());
        assertEquals("io.segmentramen.lambda.FailedEventsException", error.path("errorType").asText(), error::toString);
        String message = error.path("errorMessage").asText();
        assertTrue(message.contains(messageId + " (ramen_unavailable)"), message);
        assertRamenReceived(3, messageId);
    }
}
