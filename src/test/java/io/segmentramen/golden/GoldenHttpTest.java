package io.segmentramen.golden;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.MutableClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every golden case through {@code POST /events}: status, report entry and what Ramen received. */
@QuarkusTest
@TestProfile(GoldenProfile.class)
class GoldenHttpTest {

    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @Inject
    MutableClock clock;

    static List<String> cases() {
        return GoldenCase.names();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(String name) {
        GoldenCase golden = GoldenCase.load(name);
        GoldenAssertions.clearSandbox();
        clock.fixAt(NOW);

        Response response = Endpoints.http().contentType("application/json").body(golden.event()).post("/events");

        assertEquals(golden.httpStatus(), response.statusCode(), name + ": HTTP status; body " + response.asString());
        assertEquals("application/json", response.contentType().split(";")[0].trim(), name + ": response Content-Type");
        JsonNode report = Fixtures.parse(response.asString());
        GoldenAssertions.assertReport(golden, report);
        GoldenAssertions.assertRamenReceived(golden);
    }
}
