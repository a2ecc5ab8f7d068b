package io.segmentramen.observability;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentramen.http.HttpCore;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.LogLines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/RUNBOOK.md, "Dry run and smoke test": without RAMEN_DRY_RUN=enabled, X-Ramen-Dry-Run is
 * ignored with a warning and the events are delivered.
 */
@QuarkusTest
class DryRunDisabledTest {

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void theHeaderIsIgnoredWithAWarning(EntryPoint door) {
        Endpoints.http().delete("/sandbox/received").then().statusCode(204);
        String event = "{\"type\":\"track\",\"messageId\":\"dry-disabled-" + door + "\",\"userId\":\"u-dd\",\"event\":\"Signed Up\"}";
        try (LogLines logs = LogLines.capture()) {
            EntryPoint.Answer answer = door.post(Map.of("Content-Type", "application/json", HttpCore.DRY_RUN_HEADER, "true"),
                    event.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(200, answer.status(), answer.toString());
            assertEquals(1, answer.json().path("delivered").asInt(), answer.toString());
            assertFalse(answer.json().has("dryRun"), answer.toString());
            assertEquals(1, Fixtures.parse(Endpoints.http().get("/sandbox/received").asString()).size(), "delivered for real");
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("X-Ramen-Dry-Run ignored") && l.contains("RAMEN_DRY_RUN=enabled")),
                    "a warning says why: " + logs.lines());
        }
    }
}
