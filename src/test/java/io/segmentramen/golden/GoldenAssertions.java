package io.segmentramen.golden;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What both entry points must show for a golden case: the same report entry and the same Ramen request. */
final class GoldenAssertions {

    private GoldenAssertions() {
    }

    /** The version comes from the build (pom.xml), JVM and native alike; Maven passes it to the tests. */
    static String expectedUserAgent() {
        return "segment-ramen-destination/" + System.getProperty("project.version", "unknown");
    }

    static void clearSandbox() {
        Endpoints.http().delete("/sandbox/received").then().statusCode(204);
    }

    static void assertReport(GoldenCase golden, JsonNode report) {
        for (String count : new String[] {"delivered", "skipped", "rejected", "failed"}) {
            assertEquals(golden.expect().path(count), report.path(count), golden.name() + ": report." + count + " in " + report);
        }
        assertEquals(golden.result(), report.path("results").path(0), golden.name() + ": results[0]");
    }

    static void assertRamenReceived(GoldenCase golden) {
        JsonNode received = Fixtures.parse(Endpoints.http().get("/sandbox/received").then().statusCode(200).extract().asString());
        if (golden.ramen() == null) {
            assertEquals(0, received.size(), golden.name() + ": nothing may reach Ramen, but it received " + received);
            return;
        }
        assertEquals(1, received.size(), golden.name() + ": Ramen must receive exactly one request: " + received);
        JsonNode request = received.get(0);
        assertEquals("POST", request.path("method").asText(), golden.name());
        assertEquals(golden.ramen(), request.path("body"), golden.name() + ": the body Ramen received");
        assertEquals("application/json", request.path("headers").path("content-type").asText(), golden.name() + ": Content-Type");
        String userAgent = request.path("headers").path("user-agent").asText();
        assertEquals(expectedUserAgent(), userAgent, golden.name() + ": User-Agent");
        assertEquals(200, request.path("status").asInt(), golden.name() + ": the sandbox's answer");
    }
}
