package io.segmentramen.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.EntryPoint.Answer;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.ResetFakeRamen;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/CONTRACT.md §5, RAMEN_TRANSPORT=query: {@code GET {url}?json_payload=<url-encoded JSON>}, the importer's form. */
@QuarkusTest
@ExtendWith(ResetFakeRamen.class)
@TestProfile(ShortDeadlineQueryProfile.class)
class FaultQueryTransportTest {

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    @Test
    void payloadTravelsAsUrlEncodedJsonInAGet() {
        ramen.stubFor(get(urlPathEqualTo("/po.json")).willReturn(aResponse().withStatus(200)));
        String messageId = RamenEvents.uniqueId("q");
        String userId = RamenEvents.uniqueId("user");
        String identify = "{\"type\":\"identify\",\"userId\":\"" + userId + "\",\"messageId\":\"" + messageId + "\","
                + "\"traits\":{\"email\":\"ada@example.com\",\"name\":\"Ada & Co = 100%\",\"plan\":\"pro+\"}}";

        Answer answer = EntryPoint.HTTP.postJson(identify);

        assertEquals(200, answer.status(), answer::toString);
        List<LoggedRequest> requests = ramen.findAll(anyRequestedFor(urlPathEqualTo("/po.json")));
        assertEquals(1, requests.size());
        LoggedRequest request = requests.get(0);
        assertEquals("GET", request.getMethod().getName());
        assertEquals(0, request.getBody().length, "no body on the query transport");
        assertTrue(request.getHeader("User-Agent").startsWith("segment-ramen-destination/"));
        assertFalse(request.containsHeader("RAMEN_API_KEY"), "no API key configured, none sent");
        String rawQuery = URI.create(request.getUrl()).getRawQuery();
        assertTrue(rawQuery.startsWith("json_payload="), rawQuery);
        assertFalse(rawQuery.substring("json_payload=".length()).matches(".*[&= {}\"].*"),
                "the JSON is URL-encoded, reserved characters escaped: " + rawQuery);
        assertTrue(rawQuery.contains("pro%2B"), "a literal + is escaped, so it cannot be read as a space: " + rawQuery);
        JsonNode payload = Fixtures.parse(URLDecoder.decode(rawQuery.substring("json_payload=".length()), StandardCharsets.UTF_8));
        assertEquals(messageId, payload.path("message_id").asText());
        assertEquals("sandbox-org", payload.path("organization_id").asText());
        assertEquals(userId, payload.path("user").path("id").asText());
        assertEquals("ada@example.com", payload.path("user").path("email").asText());
        assertEquals("Ada & Co = 100%", payload.path("user").path("name").asText());
        assertEquals("pro+", payload.path("user").path("traits").path("plan").asText());
    }

    @Test
    void queryTransportIsRetriedLikeTheJsonOne() {
        ramen.stubFor(any(urlPathEqualTo("/po.json")).willReturn(aResponse().withStatus(502)));

        Answer answer = EntryPoint.HTTP.postJson(RamenEvents.track(RamenEvents.uniqueId("user"), RamenEvents.uniqueId("q")));

        assertEquals(503, answer.status(), answer::toString);
        assertEquals("ramen_unavailable", answer.json().path("results").get(0).path("reason").asText());
        assertEquals(3, ramen.findAll(anyRequestedFor(urlPathEqualTo("/po.json"))).size());
    }
}
