package io.segmentramen.nativeit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.EntryPoint.Answer;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.ResetFakeRamen;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.ProdLikeEnvironment;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Both entry points (and the SQS one) against the packaged artefact: with -Dnative, the native
 * executable Lambda runs; the same class checks the JVM jar otherwise. Ramen is WireMock.
 */
@QuarkusIntegrationTest
@ExtendWith(ResetFakeRamen.class)
@QuarkusTestResource(value = ProdLikeEnvironment.class, restrictToAnnotatedClass = true)
class NativeEntryPointsIT {

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    private static final String IDENTIFY = """
            {"type":"identify","messageId":"it-identify-%s","userId":"u-42","timestamp":"2026-01-02T03:04:05Z",
             "traits":{"email":"ada@example.com","name":"Ada Lovelace","created_at":"2020-01-01T00:00:00Z","is_admin":"yes",
                       "plan":{"tier":"pro"},"tags":["a"],"company":{"id":"c-1","name":"Acme","website":"https://acme.example"}}}
            """;

    @Test
    void apiGatewayEntryPostsTheMappedPayload() {
        Answer answer = EntryPoint.API_GATEWAY_V2.send("POST", Map.of("content-type", "application/json"),
                IDENTIFY.formatted("http").getBytes(StandardCharsets.UTF_8));
        assertEquals(200, answer.status(), answer.body());
        JsonNode report = Fixtures.parse(answer.body());
        assertEquals(1, report.path("delivered").asInt(), answer.body());
        assertEquals(1, report.path("results").get(0).path("warnings").size(), answer.body());
        assertEquals(expectedIdentify("http"), onlyBodyReceived());
    }

    @Test
    void directInvocationPostsTheSamePayload() {
        Endpoints.invoke(IDENTIFY.formatted("direct")).statusCode(200).body("delivered", equalTo(1));
        assertEquals(expectedIdentify("direct"), onlyBodyReceived());
    }

    @Test
    void apiGatewayV2EventWithBase64Body() {
        String body = Base64.getEncoder().encodeToString(IDENTIFY.formatted("apigw").getBytes(StandardCharsets.UTF_8));
        String event = """
                {"version":"2.0","routeKey":"POST /events","rawPath":"/events","headers":{"content-type":"application/json"},
                 "requestContext":{"http":{"method":"POST","path":"/events"},"timeEpoch":%d},"body":"%s","isBase64Encoded":true}
                """.formatted(System.currentTimeMillis(), body);
        Endpoints.invoke(event).statusCode(200).body("statusCode", equalTo(200)).body("body", containsString("\"delivered\":1"));
        assertEquals(expectedIdentify("apigw"), onlyBodyReceived());
    }

    @Test
    void nonUtf8CharsetAndMalformedJsonAreRefused() {
        Answer charset = EntryPoint.API_GATEWAY_V2.send("POST", Map.of("content-type", "application/json; charset=ISO-8859-1"),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, charset.status(), charset.body());
        assertEquals("unsupported_media_type", Fixtures.parse(charset.body()).path("error").path("code").asText(), charset.body());
        Answer malformed = EntryPoint.API_GATEWAY_V2.send("POST", Map.of("content-type", "application/json"),
                "{\"type\":".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, malformed.status(), malformed.body());
        assertEquals("invalid_json", Fixtures.parse(malformed.body()).path("error").path("code").asText(), malformed.body());
    }

    @Test
    void failedEventEndsTheDirectInvocationInError() {
        ramen.stubFor(post(urlEqualTo("/po.json")).willReturn(aResponse().withStatus(404)));
        Endpoints.lambda().body("{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u-1\",\"messageId\":\"it-failed-1\"}")
                .post().then().statusCode(500).body(containsString("it-failed-1 (ramen_unknown_organization)"));
    }

    @Test
    void sqsRecordWithFailedEventIsListed() {
        ramen.stubFor(post(urlEqualTo("/po.json")).withRequestBody(matchingJsonPath("$.user.id", WireMock.equalTo("u-bad")))
                .willReturn(aResponse().withStatus(503)));
        String event = """
                {"Records":[
                 {"messageId":"rec-ok","eventSource":"aws:sqs","body":"{\\"type\\":\\"track\\",\\"event\\":\\"A\\",\\"userId\\":\\"u-ok\\",\\"messageId\\":\\"sq-1\\"}"},
                 {"messageId":"rec-bad","eventSource":"aws:sqs","body":"{\\"type\\":\\"track\\",\\"event\\":\\"A\\",\\"userId\\":\\"u-bad\\",\\"messageId\\":\\"sq-2\\"}"},
                 {"messageId":"rec-malformed","eventSource":"aws:sqs","body":"{not json"}]}
                """;
        // malformed_record: a record that cannot be parsed is not dropped either: it goes back to the queue (and the DLQ).
        Endpoints.invoke(event).statusCode(200)
                .body("batchItemFailures", hasSize(2))
                .body("batchItemFailures[0].itemIdentifier", equalTo("rec-bad"))
                .body("batchItemFailures[1].itemIdentifier", equalTo("rec-malformed"));
    }

    @Test
    void sqsAllDeliveredListsNothing() {
        String event = """
                {"Records":[
                 {"messageId":"rec-1","eventSource":"aws:sqs","body":"{\\"type\\":\\"track\\",\\"event\\":\\"A\\",\\"userId\\":\\"u-1\\",\\"messageId\\":\\"sq-all-1\\"}"},
                 {"messageId":"rec-2","eventSource":"aws:sqs","body":"[{\\"type\\":\\"page\\",\\"anonymousId\\":\\"a-1\\",\\"messageId\\":\\"sq-all-2\\"}]"}]}
                """;
        Endpoints.invoke(event).statusCode(200).body("batchItemFailures", hasSize(0));
        assertEquals(2, ramen.getAllServeEvents().size());
    }

    @Test
    void sqsRejectedRecordIsNotListedButABatchRecordWithAFailedEventIs() {
        ramen.stubFor(post(urlEqualTo("/po.json")).withRequestBody(matchingJsonPath("$.user.id", WireMock.equalTo("u-down")))
                .willReturn(aResponse().withStatus(500)));
        String event = """
                {"Records":[
                 {"messageId":"rec-rejected","eventSource":"aws:sqs","body":"{\\"type\\":\\"identify\\",\\"userId\\":\\"u-1\\",\\"messageId\\":\\"sq-rej\\",\\"traits\\":{\\"email\\":\\"not-an-email\\"}}"},
                 {"messageId":"rec-batch","eventSource":"aws:sqs","body":"{\\"batch\\":[{\\"type\\":\\"track\\",\\"event\\":\\"A\\",\\"userId\\":\\"u-ok\\",\\"messageId\\":\\"sq-b1\\"},{\\"type\\":\\"track\\",\\"event\\":\\"A\\",\\"userId\\":\\"u-down\\",\\"messageId\\":\\"sq-b2\\"}]}"}]}
                """;
        Endpoints.invoke(event).statusCode(200)
                .body("batchItemFailures", hasSize(1))
                .body("batchItemFailures[0].itemIdentifier", equalTo("rec-batch"));
    }

    private JsonNode onlyBodyReceived() {
        var requests = ramen.getAllServeEvents();
        assertEquals(1, requests.size(), "Ramen requests");
        var request = requests.get(0).getRequest();
        assertEquals("application/json", request.getHeader("Content-Type"));
        return Fixtures.parse(request.getBodyAsString());
    }

    private static JsonNode expectedIdentify(String variant) {
        return Fixtures.parse("""
                {"organization_id":"%s","_partner":"segment.com","message_id":"it-identify-%s","sent_at":1767323045,
                 "user":{"id":"u-42","email":"ada@example.com","name":"Ada Lovelace","created_at":1577836800,
                         "traits":{"is_admin":true,"plan_tier":"pro"}},
                 "company":{"id":"c-1","name":"Acme","url":"https://acme.example"}}
                """.formatted(ProdLikeEnvironment.ORGANIZATION, variant));
    }
}
