package io.segmentramen.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.MutableClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/CONTRACT.md §4 end to end with RAMEN_SECRET_KEY set: the function signs with the clock's epoch seconds,
 * the sandbox (which checks hashes when a secret is configured) accepts, and neither the secret,
 * the API key nor any auth_hash shows up in a report or a log line.
 */
@QuarkusTest
@TestProfile(SecureModeSignedTest.WithSecret.class)
class SecureModeSignedTest {

    static final String SECRET = "golden-secret-Zq8vX2pL";
    static final String API_KEY = "golden-apikey-K3w9mT7";
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    static final String TS = "2024-05-01T11:59:58.123Z";
    static final long SENT_AT = 1714564798L;

    public static class WithSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("RAMEN_SECRET_KEY", SECRET, "RAMEN_API_KEY", API_KEY);
        }
    }

    @Inject
    MutableClock clock;

    private final LogCapture logs = new LogCapture();
    private final List<Logger> capturing = new ArrayList<>();
    private final List<String> hashesSent = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Endpoints.http().delete("/sandbox/received").then().statusCode(204);
        clock.fixAt(NOW);
        for (String name : new String[] {"", "io.segmentramen.outcome"}) {
            Logger logger = Logger.getLogger(name);
            logger.addHandler(logs);
            capturing.add(logger);
        }
    }

    @AfterEach
    void tearDown() {
        capturing.forEach(logger -> logger.removeHandler(logs));
        clock.reset();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void identifyOverHttpIsSignedWithTheClockAndAcceptedByTheSandbox() {
        String event = "{\"type\":\"identify\",\"messageId\":\"secure-identify-1\",\"userId\":\"u-sec-1\",\"timestamp\":\"" + TS + "\","
                + "\"traits\":{\"email\":\"sam@example.com\",\"firstName\":\"Sam\",\"lastName\":\"Secure\",\"plan\":\"pro\"},"
                + "\"integrations\":{\"Ramen\":{\"auth_hash\":\"" + "0".repeat(64) + "\",\"timestamp\":1}}}";
        Response response = Endpoints.http().contentType("application/json").body(event).post("/events");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(1, Fixtures.parse(response.asString()).path("delivered").asInt(), response.asString());

        String hash = sha256("sam@example.com:u-sec-1:Sam Secure:" + NOW.getEpochSecond() + ":" + SECRET);
        ObjectNode expected = (ObjectNode) Fixtures.parse("{\"organization_id\":\"sandbox-org\",\"_partner\":\"segment.com\","
                + "\"message_id\":\"secure-identify-1\",\"sent_at\":" + SENT_AT + ",\"user\":{\"id\":\"u-sec-1\",\"email\":\"sam@example.com\","
                + "\"name\":\"Sam Secure\",\"traits\":{\"plan\":\"pro\"}},\"timestamp\":" + NOW.getEpochSecond() + ",\"auth_hash\":\"" + hash + "\"}");
        JsonNode received = onlyRequestReceived();
        assertEquals(expected, received.path("body"), "the sender's own auth_hash is ignored: the function signs");
        assertEquals(200, received.path("status").asInt(), "the sandbox verified the hash");
        assertEquals("<redacted>", received.path("headers").path("ramen_api_key").asText(), "the API key header is sent: " + received.path("headers"));
        hashesSent.add(hash);
        assertNoSecretsIn("report", response.asString());
        assertNoSecretsInLogs("secure-identify-1");
    }

    @Test
    void aLaterDeliverySignsWithTheLaterTime() {
        Instant later = NOW.plus(Duration.ofHours(3));
        clock.fixAt(later);
        String event = "{\"type\":\"identify\",\"messageId\":\"secure-identify-later\",\"userId\":\"u-sec-1\",\"timestamp\":\"" + TS + "\","
                + "\"traits\":{\"email\":\"sam@example.com\",\"name\":\"Sam\"}}";
        Response response = Endpoints.http().contentType("application/json").body(event).post("/events");
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode received = onlyRequestReceived();
        assertEquals(later.getEpochSecond(), received.path("body").path("timestamp").asLong());
        String hash = sha256("sam@example.com:u-sec-1:Sam:" + later.getEpochSecond() + ":" + SECRET);
        assertEquals(hash, received.path("body").path("auth_hash").asText());
        assertEquals(200, received.path("status").asInt());
        hashesSent.add(hash);
        assertNoSecretsIn("report", response.asString());
        assertNoSecretsInLogs("secure-identify-later");
    }

    @Test
    void trackByDirectInvocationIsSignedOverTheIdAlone() {
        String event = "{\"type\":\"track\",\"messageId\":\"secure-track-1\",\"userId\":\"u-sec-2\",\"timestamp\":\"" + TS + "\",\"event\":\"Signed Up\"}";
        Response response = Endpoints.lambda().contentType("application/json").body(event.getBytes(StandardCharsets.UTF_8)).post();
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(1, Fixtures.parse(response.asString()).path("delivered").asInt(), response.asString());
        String hash = sha256(":u-sec-2::" + NOW.getEpochSecond() + ":" + SECRET);
        JsonNode expected = Fixtures.parse("{\"organization_id\":\"sandbox-org\",\"_partner\":\"segment.com\",\"message_id\":\"secure-track-1\","
                + "\"sent_at\":" + SENT_AT + ",\"user\":{\"id\":\"u-sec-2\"},\"event\":{\"name\":\"Signed Up\"},"
                + "\"timestamp\":" + NOW.getEpochSecond() + ",\"auth_hash\":\"" + hash + "\"}");
        JsonNode received = onlyRequestReceived();
        assertEquals(expected, received.path("body"));
        assertEquals(200, received.path("status").asInt());
        hashesSent.add(hash);
        assertNoSecretsIn("invocation result", response.asString());
        assertNoSecretsInLogs("secure-track-1");
    }

    @Test
    void anonymousPageIsNotSigned() {
        String event = "{\"type\":\"page\",\"messageId\":\"secure-page-anon\",\"anonymousId\":\"a-sec\",\"timestamp\":\"" + TS + "\","
                + "\"context\":{\"page\":{\"url\":\"https://app.test/\"}}}";
        Response response = Endpoints.http().contentType("application/json").body(event).post("/events");
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode body = onlyRequestReceived().path("body");
        assertEquals(Fixtures.parse("{\"organization_id\":\"sandbox-org\",\"_partner\":\"segment.com\",\"message_id\":\"secure-page-anon\","
                + "\"sent_at\":" + SENT_AT + ",\"anonymous_id\":\"a-sec\",\"page\":{\"url\":\"https://app.test/\"}}"), body);
        assertNoSecretsInLogs("secure-page-anon");
    }

    @Test
    void rejectedEventsDoNotLeakSecretsEither() {
        String event = "{\"type\":\"identify\",\"messageId\":\"secure-bad-email\",\"userId\":\"u-sec-3\","
                + "\"traits\":{\"email\":\"not an email\"},\"integrations\":{\"Ramen\":{\"auth_hash\":\"feedface\",\"timestamp\":1}}}";
        Response response = Endpoints.http().contentType("application/json").body(event).post("/events");
        assertEquals(400, response.statusCode(), response.asString());
        assertEquals(0, Fixtures.parse(Endpoints.http().get("/sandbox/received").asString()).size());
        hashesSent.add("feedface");
        assertNoSecretsIn("report", response.asString());
        assertNoSecretsInLogs("secure-bad-email");
    }

    private JsonNode onlyRequestReceived() {
        JsonNode received = Fixtures.parse(Endpoints.http().get("/sandbox/received").then().statusCode(200).extract().asString());
        assertEquals(1, received.size(), received.toString());
        return received.get(0);
    }

    private void assertNoSecretsIn(String what, String text) {
        assertFalse(text.contains(SECRET), "the secret appears in the " + what);
        assertFalse(text.contains(API_KEY), "the API key appears in the " + what);
        for (String hash : hashesSent) {
            assertFalse(text.contains(hash), "an auth_hash appears in the " + what);
        }
    }

    private void assertNoSecretsInLogs(String messageId) {
        String captured = logs.text();
        assertTrue(captured.contains(messageId), "the capture works: the outcome line of " + messageId + " is in the log:\n" + captured);
        assertNoSecretsIn("log", captured);
    }

    /** Every log record, its message formatted as the handler would print it, its parameters and any stack trace. */
    static final class LogCapture extends Handler {

        private final StringBuffer text = new StringBuffer();

        LogCapture() {
            setLevel(Level.ALL);
        }

        @Override
        public void publish(LogRecord record) {
            text.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(' ').append(record.getMessage());
            try {
                // JBoss LogManager's ExtLogRecord formats printf-style messages itself
                Object formatted = record.getClass().getMethod("getFormattedMessage").invoke(record);
                text.append(" | ").append(formatted);
            } catch (ReflectiveOperationException ignored) {
                // a plain LogRecord: message and parameters are enough
            }
            if (record.getParameters() != null) {
                text.append(" | ").append(Arrays.toString(record.getParameters()));
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                text.append('\n').append(trace);
            }
            text.append('\n');
        }

        String text() {
            return text.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
