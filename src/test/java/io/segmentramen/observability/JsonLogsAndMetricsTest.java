package io.segmentramen.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.config.ConfigurationSummary;
import io.segmentramen.config.Secrets;
import io.segmentramen.config.DestinationConfig;
import io.segmentramen.config.SegmentConfig;
import io.segmentramen.delivery.OutcomeLog;
import io.segmentramen.golden.GoldenBatch;
import io.segmentramen.json.Json;
import io.segmentramen.outcome.Reason;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.LogLines;
import io.segmentramen.testing.RamenProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Logs and metrics (docs/CONTRACT.md §8), with JSON logging on as deployed and every secret configured: a batch
 * of all golden events goes through each entry point; every line the console handlers print parses
 * as one JSON object, no secret appears, emails stay masked, and the one EMF line per request has
 * the report's counts.
 */
@QuarkusTest
@TestProfile(JsonLogsAndMetricsTest.AsDeployed.class)
class JsonLogsAndMetricsTest {

    static final String SHARED_SECRET = "shared-secret-Jq39xPz";
    static final String TOKEN = "bearer-token-Hy61aQ0";
    static final String SECRET_KEY = "secure-mode-secret-Lm4tR8";
    static final String API_KEY = "ramen-api-key-Wd82nC";
    static final String SERVICE = "ops-test-stack";
    static final Pattern UNMASKED_EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{2}@[A-Za-z0-9-]+\\.[A-Za-z]");
    static final String FAILING_MESSAGE_ID = "golden-page-anonymous";

    public static class AsDeployed extends RamenProfile {
        public AsDeployed() {
            super(FakeRamen.class,
                    "log.format", "json",
                    "SEGMENT_SHARED_SECRET", SHARED_SECRET,
                    "SEGMENT_AUTH_TOKEN", TOKEN,
                    "RAMEN_SECRET_KEY", SECRET_KEY,
                    "RAMEN_API_KEY", API_KEY,
                    "ramen.dedup-capacity", "0",
                    "metrics.service", SERVICE);
        }
    }

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    @Inject
    DestinationConfig ramenConfig;

    @Inject
    SegmentConfig segmentConfig;

    @Inject
    Secrets secrets;

    private LogLines logs;

    @BeforeEach
    void setUp() {
        FakeRamen.acceptAll(ramen);
        // One configuration error in the batch, so that Failed_* and ConfigurationErrors are exercised.
        ramen.stubFor(WireMock.any(WireMock.urlPathEqualTo("/po.json"))
                .withRequestBody(WireMock.containing("\"message_id\":\"" + FAILING_MESSAGE_ID + "\""))
                .willReturn(WireMock.aResponse().withStatus(401)));
        logs = LogLines.capture(OutcomeLog.CATEGORY, MetricsEmitter.CATEGORY);
    }

    @AfterEach
    void tearDown() {
        logs.close();
    }

    static Map<String, String> authenticated() {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", "Bearer " + TOKEN);
        // Dry runs are not enabled here: the header is ignored with a warning, an application line of the request.
        headers.put("X-Ramen-Dry-Run", "true");
        return headers;
    }

    @Test
    void everyLineOfAGoldenBatchIsJsonWithoutSecretsOrEmails() {
        byte[] batch = GoldenBatch.bytes();
        for (EntryPoint door : EntryPoint.values()) {
            EntryPoint.Answer answer = door.post(authenticated(), batch);
            assertEquals(503, answer.status(), "one event fails with 401 from Ramen: " + answer);
        }
        List<String> lines = logs.lines();
        assertTrue(lines.size() > 2 * GoldenBatch.size(), "captured the outcome lines and more: " + lines.size());
        boolean sawApplicationLine = false;
        boolean sawRequestId = false;
        for (String line : lines) {
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(line);
            } catch (Exception e) {
                fail("not one JSON object: " + line);
                return;
            }
            assertTrue(json.isObject(), line);
            if (json.has("loggerName")) {
                sawApplicationLine = true;
                assertTrue(json.has("level") && json.has("message"), line);
                sawRequestId |= json.path("mdc").hasNonNull("awsRequestId");
            }
            for (String secret : new String[] {SHARED_SECRET, TOKEN, SECRET_KEY, API_KEY}) {
                assertFalse(line.contains(secret), "a secret in the log: " + line);
            }
            assertFalse(UNMASKED_EMAIL.matcher(line).find(), "an unmasked email in the log: " + line);
            assertFalse(line.contains("auth_hash\":\""), "a hash in the log: " + line);
        }
        assertTrue(sawApplicationLine, "an application line (the ignored dry-run header warning) was captured as JSON");
        assertTrue(sawRequestId, "application lines during an invocation carry mdc.awsRequestId");
        // outcome lines are written raw, so they carry their level themselves (docs/CONTRACT.md §2: a 401 is logged at ERROR)
        List<JsonNode> outcomes = lines.stream().map(Fixtures::parse)
                .filter(line -> line.has("status") && !line.has("loggerName")).toList();
        assertTrue(outcomes.stream().anyMatch(o -> o.path("reason").asText().equals("ramen_unauthorized")), "a 401 outcome was captured");
        for (JsonNode outcome : outcomes) {
            String expected = outcome.path("reason").asText().equals("ramen_unauthorized") ? "ERROR"
                    : outcome.path("status").asText().equals("failed") ? "WARN" : "INFO";
            assertEquals(expected, outcome.path("level").asText(), outcome::toString);
        }
        long withWarnings = lines.stream().filter(l -> l.contains("\"warnings\":[\"")).count();
        assertTrue(withWarnings > 0, "outcome lines carry the events' warnings");
    }

    @Test
    void theEmfLineOfEachRequestHasTheReportsCounts() throws Exception {
        byte[] batch = GoldenBatch.bytes();
        for (EntryPoint door : EntryPoint.values()) {
            logs.clear();
            ramen.resetRequests();
            EntryPoint.Answer answer = door.post(authenticated(), batch);
            assertMetricsMatch(door.name(), answer.json(), ramen.getAllServeEvents().size());
        }
        // A direct invocation of the batch without the failure: its one EMF line too.
        FakeRamen.acceptAll(ramen);
        logs.clear();
        String report = Endpoints.invoke(batch).statusCode(200).extract().asString();
        assertMetricsMatch("direct", Fixtures.parse(report), ramen.getAllServeEvents().size());
    }

    private void assertMetricsMatch(String door, JsonNode report, int ramenRequests) throws Exception {
        List<JsonNode> emf = new ArrayList<>();
        for (String line : logs.lines()) {
            JsonNode json = Json.MAPPER.readTree(line);
            if (json.has("_aws")) {
                emf.add(json);
            }
        }
        assertEquals(1, emf.size(), door + ": one EMF line per request: " + logs.lines());
        JsonNode metrics = emf.get(0);
        JsonNode directive = metrics.path("_aws").path("CloudWatchMetrics").path(0);
        assertEquals("SegmentRamen", directive.path("Namespace").asText(), door);
        assertEquals("[[\"Service\"]]", directive.path("Dimensions").toString(), door);
        assertEquals(SERVICE, metrics.path("Service").asText(), door);
        assertTrue(metrics.path("_aws").path("Timestamp").asLong() > 0, door);
        List<String> declared = new ArrayList<>();
        directive.path("Metrics").forEach(m -> declared.add(m.path("Name").asText()));
        for (String name : declared) {
            assertTrue(metrics.path(name).isNumber(), door + ": declared metric " + name + " has a value: " + metrics);
        }

        assertEquals(report.path("delivered").asInt(), metrics.path("Delivered").asInt(), door + " Delivered");
        assertEquals(report.path("skipped").asInt(), metrics.path("Skipped").asInt(), door + " Skipped");
        assertEquals(report.path("rejected").asInt(), metrics.path("Rejected").asInt(), door + " Rejected");
        assertEquals(report.path("failed").asInt(), metrics.path("Failed").asInt(), door + " Failed");
        Map<String, Integer> byReason = new HashMap<>();
        int attempts = 0;
        int configurationErrors = 0;
        for (JsonNode result : report.path("results")) {
            attempts += result.path("attempts").asInt();
            String status = result.path("status").asText();
            if (status.equals("rejected") || status.equals("failed")) {
                String name = (status.equals("rejected") ? "Rejected_" : "Failed_") + result.path("reason").asText();
                byReason.merge(name, 1, Integer::sum);
                if (status.equals("failed") && configurationError(result.path("reason").asText())) {
                    configurationErrors++;
                }
            }
        }
        for (Map.Entry<String, Integer> reason : byReason.entrySet()) {
            assertEquals(reason.getValue().intValue(), metrics.path(reason.getKey()).asInt(), door + " " + reason.getKey() + " in " + metrics);
        }
        long perReasonDeclared = declared.stream().filter(n -> n.startsWith("Rejected_") || n.startsWith("Failed_")).count();
        assertEquals(byReason.size(), perReasonDeclared, door + ": exactly the reasons of the report: " + declared);
        assertEquals(attempts, metrics.path("Attempts").asInt(), door + " Attempts");
        assertEquals(configurationErrors, metrics.path("ConfigurationErrors").asInt(), door + " ConfigurationErrors");
        assertEquals(ramenRequests, metrics.path("RamenRequests").asInt(), door + " RamenRequests = requests Ramen received");
        assertTrue(metrics.path("RamenLatencySum").asDouble() >= metrics.path("RamenLatencyMax").asDouble(), door);
        assertEquals(0, metrics.path("AuthPrevious").asInt(), door + ": no previous secret configured");
        assertTrue(report.path("delivered").asInt() > 0 && report.path("rejected").asInt() > 0, "the batch mixes outcomes: " + report);
    }

    @Test
    void theConfigurationSummaryNamesSettingsButNoSecret() {
        String summary = ConfigurationSummary.summary(ramenConfig, segmentConfig, secrets, false);
        for (String expected : new String[] {"organization=sandbox-org", "auth=x-signature+bearer", "secureMode=optional (RAMEN_SECRET_KEY set)",
                "ramenEndpoint=http://127.0.0.1:" + ramen.port() + "/po.json", "transport=json", "apiKey=set", "dryRun=disabled", "maxBodyBytes=6291456"}) {
            assertTrue(summary.contains(expected), expected + " in " + summary);
        }
        for (String secret : new String[] {SHARED_SECRET, TOKEN, SECRET_KEY, API_KEY}) {
            assertFalse(summary.contains(secret), summary);
        }
    }

    private static boolean configurationError(String failedReason) {
        return java.util.Arrays.stream(Reason.values())
                .anyMatch(reason -> reason.code().equals(failedReason) && reason.configurationError());
    }
}
