package io.segmentramen.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every golden case against the packaged artefact (the native executable with -Dnative), through
 * both entry points, with WireMock as Ramen: the native build maps exactly as the JVM build does.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = GoldenNativeIT.Environment.class, restrictToAnnotatedClass = true)
class GoldenNativeIT {

    /** The organization of the golden files, no deduplication (every case is posted twice), no authentication. */
    public static class Environment extends FakeRamen {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            config.put("ramen.organization-id", "sandbox-org");
            config.put("ramen.dedup-capacity", "0");
            config.put("segment.auth", "none");
            return config;
        }
    }

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    static List<String> cases() {
        return GoldenCase.names();
    }

    @BeforeEach
    void resetRamen() {
        ramen.resetAll();
        ramen.stubFor(post(urlEqualTo("/po.json")).willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));
    }

    @ParameterizedTest(name = "http {0}")
    @MethodSource("cases")
    void overHttp(String name) {
        GoldenCase golden = GoldenCase.load(name);
        Response response = Endpoints.http().contentType("application/json").body(golden.event()).post("/events");
        assertEquals(golden.httpStatus(), response.statusCode(), name + ": HTTP status; body " + response.asString());
        GoldenAssertions.assertReport(golden, Fixtures.parse(response.asString()));
        assertRamenReceived(golden);
    }

    @ParameterizedTest(name = "direct {0}")
    @MethodSource("cases")
    void byDirectInvocation(String name) {
        GoldenCase golden = GoldenCase.load(name);
        String report = Endpoints.invoke(golden.event()).statusCode(200).extract().asString();
        GoldenAssertions.assertReport(golden, Fixtures.parse(report));
        assertRamenReceived(golden);
    }

    private void assertRamenReceived(GoldenCase golden) {
        List<ServeEvent> requests = ramen.getAllServeEvents();
        if (golden.ramen() == null) {
            assertEquals(0, requests.size(), golden.name() + ": nothing may reach Ramen");
            return;
        }
        assertEquals(1, requests.size(), golden.name() + ": Ramen must receive exactly one request");
        var request = requests.get(0).getRequest();
        JsonNode body = Fixtures.parse(request.getBodyAsString());
        assertEquals(golden.ramen(), body, golden.name() + ": the body Ramen received");
        assertEquals("application/json", request.getHeader("Content-Type"), golden.name());
        assertEquals(GoldenAssertions.expectedUserAgent(), request.getHeader("User-Agent"), golden.name());
    }
}
