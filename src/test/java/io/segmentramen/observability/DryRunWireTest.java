package io.segmentramen.observability;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.MutableClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dry run's payload is byte-exact (docs/CONTRACT.md §8): with Secure Mode signing, the bytes a real
 * request puts on the wire, its auth_hash replaced by "&lt;redacted&gt;", appear verbatim in the dry
 * run's answer; and the dry run itself sends nothing.
 */
@QuarkusTest
@TestProfile(DryRunWireTest.Signing.class)
@QuarkusTestResource(value = FakeRamen.class, restrictToAnnotatedClass = true)
class DryRunWireTest {

    static final String SECRET = "dry-run-secret-Vb72kQ";
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    public static class Signing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ramen.dry-run", "enabled", "RAMEN_SECRET_KEY", SECRET, "ramen.dedup-capacity", "0",
                    "ramen.timeout", "10s", "ramen.deadline", "20s");
        }
    }

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    @Inject
    MutableClock clock;

    @BeforeEach
    void setUp() {
        FakeRamen.acceptAll(ramen);
        clock.fixAt(NOW);
    }

    @AfterEach
    void tearDown() {
        clock.reset();
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void thePayloadIsTheWireBytesWithTheHashRedacted(EntryPoint door) {
        byte[] event = ("{\"type\":\"identify\",\"messageId\":\"dry-wire-1\",\"userId\":\"u-dry\",\"timestamp\":\"2024-05-01T11:59:58Z\","
                + "\"traits\":{\"email\":\"dee@example.com\",\"name\":\"Dee Ry\",\"plan\":\"pro\",\"seats\":12.50,\"nested\":{\"a\":[1,\"é\"]}}}")
                .getBytes(StandardCharsets.UTF_8);

        EntryPoint.Answer preview = door.post(Map.of("Content-Type", "application/json", "X-Ramen-Dry-Run", "true"), event);
        assertEquals(200, preview.status(), preview.toString());
        assertEquals(0, ramen.getAllServeEvents().size(), "a dry run sends nothing");

        EntryPoint.Answer real = door.post(Map.of("Content-Type", "application/json"), event);
        assertEquals(200, real.status(), real.toString());
        List<com.github.tomakehurst.wiremock.stubbing.ServeEvent> sent = ramen.getAllServeEvents();
        assertFalse(sent.isEmpty());
        String wire = sent.get(0).getRequest().getBodyAsString();
        Matcher hash = Pattern.compile("\"auth_hash\":\"([0-9a-f]{64})\"").matcher(wire);
        assertTrue(hash.find(), "the real request is signed: " + wire);
        String redacted = wire.replace(hash.group(1), "<redacted>");

        // The answer's JSON escapes nothing that the wire does not: the payload object appears verbatim.
        String answer = preview.body();
        assertTrue(answer.contains("\"payload\":" + redacted), "the dry run's payload is the wire body, hash redacted:\n"
                + redacted + "\nin\n" + answer);
        assertFalse(answer.contains(hash.group(1)), "no auth_hash in the dry run's answer");
    }
}
