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

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every golden case as a direct Lambda invocation payload: the same report entry and the same Ramen body as over HTTP. */
@QuarkusTest
@TestProfile(GoldenProfile.class)
class GoldenLambdaTest {

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
        clock.fixAt(GoldenHttpTest.NOW);

        // The raw bytes (UTF-8) as the invocation payload: RestAssured would encode a String as ISO-8859-1.
        Response response = Endpoints.lambda().contentType("application/json").body(golden.event()).post();

        // Nothing in the golden set fails, so no invocation may end in an error.
        assertEquals(200, response.statusCode(), name + ": invocation result " + response.asString());
        JsonNode report = Fixtures.parse(response.asString());
        GoldenAssertions.assertReport(golden, report);
        GoldenAssertions.assertRamenReceived(golden);
    }
}
