package io.segmentramen.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.EntryPoint.Answer;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.ResetFakeRamen;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Comparator;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every golden case ({@link GoldenCase}: one folder each) through every way in — {@code POST /events}
 * over HTTP, the same request as an API Gateway HTTP API event, and a direct invocation — checking
 * the status, every result of the report element by element, and the exact bodies Ramen received.
 * A case about request headers ({@link GoldenCase#overHttpOnly}) runs through the two HTTP ways in
 * only: a direct invocation has no headers. {@link GoldenNativeIT} runs this same suite against the packaged artefact; both run on the real clock.
 */
@QuarkusTest
@TestProfile(GoldenProfile.class)
@ExtendWith(ResetFakeRamen.class)
public class GoldenSuiteTest {

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    static List<GoldenCase> cases() {
        return GoldenCase.all();
    }

    static List<GoldenCase> directCases() {
        return GoldenCase.all().stream().filter(golden -> !golden.overHttpOnly()).toList();
    }

    /** The version comes from the build (pom.xml), JVM and native alike; Maven passes it to the tests. */
    static String expectedUserAgent() {
        return "segment-ramen-destination/" + System.getProperty("project.version", "unknown");
    }

    @ParameterizedTest(name = "http {0}")
    @MethodSource("cases")
    void overHttp(GoldenCase golden) {
        assertAnswer(golden, EntryPoint.HTTP);
    }

    @ParameterizedTest(name = "api gateway {0}")
    @MethodSource("cases")
    void overApiGateway(GoldenCase golden) {
        assertAnswer(golden, EntryPoint.API_GATEWAY_V2);
    }

    @ParameterizedTest(name = "direct {0}")
    @MethodSource("directCases")
    void byDirectInvocation(GoldenCase golden) {
        answerAs(golden);
        Response response = Endpoints.lambda().contentType("application/json").body(golden.event()).post();
        if (golden.errorCode() != null) {
            assertEquals(200, response.statusCode(), golden + ": a refused payload is a result nobody retries");
            JsonNode error = Fixtures.parse(response.asString()).path("error");
            assertEquals(golden.errorCode(), error.path("code").asText(), golden + ": " + response.asString());
            assertEquals(golden.httpStatus(), error.path("status").asInt(), golden + ": " + response.asString());
        } else if (golden.anyFailed()) {
            assertEquals(500, response.statusCode(), golden + ": a failed event ends the invocation in an error");
            JsonNode error = Fixtures.parse(response.asString());
            assertEquals("io.segmentramen.lambda.FailedEventsException", error.path("errorType").asText(), response.asString());
            for (JsonNode result : golden.results()) {
                if (result.path("status").asText().equals("failed")) {
                    assertTrue(error.path("errorMessage").asText().contains("(" + result.path("reason").asText() + ")"),
                            golden + ": the error names each failed event's reason: " + response.asString());
                }
            }
        } else {
            assertEquals(200, response.statusCode(), golden + ": invocation result " + response.asString());
            assertReport(golden, Fixtures.parse(response.asString()));
        }
        assertRamenReceived(golden);
    }

    private void assertAnswer(GoldenCase golden, EntryPoint entry) {
        answerAs(golden);
        Answer answer = entry.post(golden.headers(), golden.event());
        assertEquals(golden.httpStatus(), answer.status(), golden + ": HTTP status; " + answer);
        assertEquals("application/json", answer.header("Content-Type").split(";")[0].trim(), golden + ": response Content-Type");
        if (golden.errorCode() != null) {
            assertEquals(golden.errorCode(), answer.json().path("error").path("code").asText(), golden + ": " + answer);
        } else {
            assertReport(golden, answer.json());
        }
        assertRamenReceived(golden);
    }

    /**
     * The fake Ramen answers every request with the case's status (it answers 200 unless told); a
     * redirect points elsewhere on the fake Ramen, so that following it would show as a request.
     */
    private void answerAs(GoldenCase golden) {
        int status = golden.ramenAnswers();
        if (status != 200) {
            ResponseDefinitionBuilder answer = aResponse().withStatus(status);
            if (status / 100 == 3) {
                answer = answer.withHeader("Location", "/moved/po.json");
            }
            ramen.stubFor(any(urlPathEqualTo("/po.json")).atPriority(1).willReturn(answer));
        }
    }

    private static void assertReport(GoldenCase golden, JsonNode report) {
        for (String count : new String[] {"delivered", "skipped", "rejected", "failed"}) {
            assertEquals(golden.expect().path(count), report.path(count), golden + ": report." + count + " in " + report);
        }
        JsonNode results = report.path("results");
        assertEquals(golden.results().size(), results.size(), golden + ": one result per event in " + report);
        for (int i = 0; i < results.size(); i++) {
            assertEquals(golden.results().get(i), results.get(i), golden + ": results[" + i + "]");
        }
    }

    private void assertRamenReceived(GoldenCase golden) {
        List<LoggedRequest> requests = ramen.findAll(anyRequestedFor(anyUrl()));
        assertEquals(golden.ramen().size(), requests.size(), golden + ": requests Ramen received");
        for (LoggedRequest request : requests) {
            assertEquals("POST", request.getMethod().getName(), golden.name());
            assertEquals("/po.json", request.getUrl(), golden.name());
            assertEquals("application/json", request.getHeader("Content-Type"), golden + ": Content-Type");
            assertEquals(expectedUserAgent(), request.getHeader("User-Agent"), golden + ": User-Agent");
        }
        // Events of different visitors go out concurrently: compared in a canonical order.
        Comparator<JsonNode> byText = Comparator.comparing(JsonNode::toString);
        List<JsonNode> received = requests.stream().map(request -> Fixtures.parse(request.getBodyAsString())).sorted(byText).toList();
        assertEquals(golden.ramen().stream().sorted(byText).toList(), received, golden + ": the bodies Ramen received");
    }
}
