package io.segmentramen.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.delivery.DedupCache;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.MutableClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §14 dry run, with RAMEN_DRY_RUN=enabled and the instance's dedup cache on: every golden case
 * through both HTTP entry points answers the status and report a real request would get, each
 * event showing the exact payload of ramen.json, while the sandbox Ramen receives nothing and the
 * dedup cache stays as it was.
 */
@QuarkusTest
@TestProfile(GoldenDryRunTest.DryRunEnabled.class)
class GoldenDryRunTest {

    public static class DryRunEnabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ramen.dry-run", "enabled");
        }
    }

    static final Map<String, String> DRY_RUN = Map.of("Content-Type", "application/json", "X-Ramen-Dry-Run", "true");

    @Inject
    MutableClock clock;

    @Inject
    DedupCache dedup;

    static Stream<Arguments> cases() {
        return GoldenCase.names().stream().flatMap(name -> Stream.of(EntryPoint.values()).map(door -> Arguments.of(door, name)));
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void dryRunShowsWhatRamenWouldReceive(EntryPoint door, String name) {
        GoldenCase golden = GoldenCase.load(name);
        GoldenAssertions.clearSandbox();
        clock.fixAt(GoldenHttpTest.NOW);
        int remembered = dedup.size();

        EntryPoint.Answer answer = door.post(DRY_RUN, golden.event());

        assertEquals(golden.httpStatus(), answer.status(), name + ": the status a real request gets: " + answer);
        JsonNode report = answer.json();
        assertTrue(report.path("dryRun").asBoolean(), name + ": marked as a dry run: " + report);
        for (String count : new String[] {"delivered", "skipped", "rejected", "failed"}) {
            assertEquals(golden.expect().path(count), report.path(count), name + ": report." + count + " in " + report);
        }
        JsonNode result = report.path("results").path(0);
        ObjectNode expected = golden.result().deepCopy();
        if ("delivered".equals(expected.path("status").asText())) {
            // Ramen was not asked: no attempt, no Ramen status; the payload instead.
            expected.put("attempts", 0);
            expected.remove("ramenStatus");
            expected.set("payload", golden.ramen());
        }
        assertEquals(expected, result, name + ": results[0]");
        List<JsonNode> payloads = new ArrayList<>();
        report.path("results").forEach(r -> {
            if (r.has("payload")) {
                payloads.add(r.get("payload"));
            }
        });
        assertEquals(golden.ramen() == null ? List.of() : List.of(golden.ramen()), payloads, name + ": the payloads Ramen would receive");
        assertEquals(0, Fixtures.parse(Endpoints.http().get("/sandbox/received").asString()).size(), name + ": nothing reached Ramen");
        assertEquals(remembered, dedup.size(), name + ": no dedup state touched");
    }

    @Test
    void aDryRunDoesNotStopTheRealDeliveryOfTheSameMessageId() {
        GoldenCase golden = GoldenCase.load("track");
        GoldenAssertions.clearSandbox();
        for (EntryPoint door : EntryPoint.values()) {
            EntryPoint.Answer preview = door.post(DRY_RUN, golden.event());
            assertEquals(200, preview.status(), preview.toString());
        }
        EntryPoint.Answer real = EntryPoint.HTTP.post(Map.of("Content-Type", "application/json"), golden.event());
        assertEquals(1, real.json().path("delivered").asInt(), "delivered, not skipped as a duplicate: " + real);
        assertFalse(real.json().has("dryRun"), real.toString());
        EntryPoint.Answer again = EntryPoint.HTTP.post(DRY_RUN, golden.event());
        assertEquals(1, again.json().path("delivered").asInt(), "a dry run does not read the dedup cache either: " + again);
        assertEquals(1, Fixtures.parse(Endpoints.http().get("/sandbox/received").asString()).size(), "only the real request reached Ramen");
    }

    @Test
    void headerValuesOtherThanTrueAreRealRequests() {
        GoldenCase golden = GoldenCase.load("page_anonymous");
        GoldenAssertions.clearSandbox();
        EntryPoint.Answer answer = EntryPoint.HTTP.post(Map.of("Content-Type", "application/json", "X-Ramen-Dry-Run", "false"), golden.event());
        assertFalse(answer.json().has("dryRun"), answer.toString());
        assertEquals(1, Fixtures.parse(Endpoints.http().get("/sandbox/received").asString()).size(), "delivered for real");
    }
}
