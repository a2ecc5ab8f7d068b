package io.segmentramen.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.delivery.DedupCache;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.MutableClock;
import io.segmentramen.testing.RamenProfile;
import io.segmentramen.testing.ResetFakeRamen;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dry run (docs/CONTRACT.md §8), with RAMEN_DRY_RUN=enabled and the instance's dedup cache on: every golden case
 * whose Ramen answers 200 (a dry run never asks Ramen, so its answer cannot matter) through both
 * HTTP entry points answers the status and report a real request would get, each event that would
 * be sent showing its exact payload of ramen.json, while the fake Ramen receives nothing and the
 * dedup cache stays as it was.
 */
@QuarkusTest
@TestProfile(GoldenDryRunTest.DryRunEnabled.class)
@ExtendWith(ResetFakeRamen.class)
class GoldenDryRunTest {

    /** The golden files' organization and credentials, dry runs allowed, the dedup cache on (its default capacity). */
    public static class DryRunEnabled extends RamenProfile {
        public DryRunEnabled() {
            super(FakeRamen.class, "ramen.organization-id", "sandbox-org", "ramen.dry-run", "enabled",
                    "SEGMENT_AUTH_TOKEN", GoldenProfile.TOKEN, "SEGMENT_SHARED_SECRET", GoldenProfile.SHARED_SECRET);
        }
    }

    static final Map<String, String> DRY_RUN = withDryRun(GoldenProfile.HEADERS, "true");
    private static final Comparator<JsonNode> BY_TEXT = Comparator.comparing(JsonNode::toString);

    @Inject
    MutableClock clock;

    @Inject
    DedupCache dedup;

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    static Stream<Arguments> cases() {
        return GoldenCase.all().stream().filter(golden -> golden.ramenAnswers() == 200)
                .flatMap(golden -> Stream.of(EntryPoint.values()).map(door -> Arguments.of(door, golden)));
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void dryRunShowsWhatRamenWouldReceive(EntryPoint door, GoldenCase golden) {
        clock.fixAt(GoldenProfile.GOLDEN_NOW);
        int remembered = dedup.size();

        EntryPoint.Answer answer = door.post(withDryRun(golden.headers(), "true"), golden.event());

        assertEquals(golden.httpStatus(), answer.status(), golden + ": the status a real request gets: " + answer);
        JsonNode report = answer.json();
        if (golden.errorCode() != null) {
            assertEquals(golden.errorCode(), report.path("error").path("code").asText(), golden + ": " + answer);
        } else {
            assertTrue(report.path("dryRun").asBoolean(), golden + ": marked as a dry run: " + report);
            for (String count : new String[] {"delivered", "skipped", "rejected", "failed"}) {
                assertEquals(golden.expect().path(count), report.path(count), golden + ": report." + count + " in " + report);
            }
            JsonNode results = report.path("results");
            assertEquals(golden.results().size(), results.size(), golden + ": one result per event in " + report);
            List<JsonNode> payloads = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                ObjectNode result = results.get(i).deepCopy();
                ObjectNode expected = golden.results().get(i).deepCopy();
                if ("delivered".equals(expected.path("status").asText())) {
                    // Ramen was not asked: no attempt, no Ramen status; the payload instead.
                    expected.put("attempts", 0);
                    expected.remove("ramenStatus");
                    assertTrue(result.has("payload"), golden + ": results[" + i + "] shows its payload: " + result);
                    payloads.add(result.remove("payload"));
                }
                assertEquals(expected, result, golden + ": results[" + i + "]");
            }
            assertEquals(golden.ramen().stream().sorted(BY_TEXT).toList(), payloads.stream().sorted(BY_TEXT).toList(),
                    golden + ": the payloads Ramen would receive");
        }
        assertEquals(0, received(), golden + ": nothing reached Ramen");
        assertEquals(remembered, dedup.size(), golden + ": no dedup state touched");
    }

    @Test
    void aDryRunDoesNotStopTheRealDeliveryOfTheSameMessageId() {
        GoldenCase golden = GoldenCase.load("track");
        for (EntryPoint door : EntryPoint.values()) {
            EntryPoint.Answer preview = door.post(DRY_RUN, golden.event());
            assertEquals(200, preview.status(), preview.toString());
        }
        EntryPoint.Answer real = EntryPoint.HTTP.post(GoldenProfile.HEADERS, golden.event());
        assertEquals(1, real.json().path("delivered").asInt(), "delivered, not skipped as a duplicate: " + real);
        assertFalse(real.json().has("dryRun"), real.toString());
        EntryPoint.Answer again = EntryPoint.HTTP.post(DRY_RUN, golden.event());
        assertEquals(1, again.json().path("delivered").asInt(), "a dry run does not read the dedup cache either: " + again);
        assertEquals(1, received(), "only the real request reached Ramen");
    }

    @Test
    void headerValuesOtherThanTrueAreRealRequests() {
        GoldenCase golden = GoldenCase.load("page_anonymous");
        EntryPoint.Answer answer = EntryPoint.HTTP.post(withDryRun(GoldenProfile.HEADERS, "false"), golden.event());
        assertFalse(answer.json().has("dryRun"), answer.toString());
        assertEquals(1, received(), "delivered for real");
    }

    private static Map<String, String> withDryRun(Map<String, String> headers, String value) {
        Map<String, String> withHeader = new HashMap<>(headers);
        withHeader.put("X-Ramen-Dry-Run", value);
        return Map.copyOf(withHeader);
    }

    private int received() {
        return ramen.findAll(anyRequestedFor(anyUrl())).size();
    }
}
