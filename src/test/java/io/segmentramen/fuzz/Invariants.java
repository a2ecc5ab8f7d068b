package io.segmentramen.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.json.Json;
import io.segmentramen.mapping.RamenMapper;
import io.segmentramen.signing.SecureModeHash;
import io.segmentramen.testing.Fixtures;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The structural properties that hold for every input (docs/CONTRACT.md §1: per-element isolation;
 * §3: bounded output), checked by fuzzing and generated inputs alike.
 */
public final class Invariants {

    public static final int MAX_RESULT_BYTES = 65_536;
    /** A mapped payload's limit plus what signing adds (timestamp and a 64-character hash). */
    public static final int MAX_SENT_BYTES = RamenMapper.MAX_PAYLOAD_BYTES + 128;
    private static final Set<String> STATUSES = Set.of("delivered", "skipped", "rejected", "failed");

    private Invariants() {
    }

    /** Exactly one result per element, in order, each within the byte bound; counts add up. */
    public static void report(JsonNode report, int elements) {
        JsonNode results = report.path("results");
        assertEquals(elements, results.size(), "one result per element");
        int[] counts = new int[4];
        for (int i = 0; i < results.size(); i++) {
            JsonNode result = results.get(i);
            assertEquals(i, result.path("index").asInt(), "results in element order");
            String status = result.path("status").asText();
            assertTrue(STATUSES.contains(status), status);
            counts[status.equals("delivered") ? 0 : status.equals("skipped") ? 1 : status.equals("rejected") ? 2 : 3]++;
            assertFalse("internal_error".equals(result.path("reason").asText()), "no internal error: " + abbreviated(result));
            int bytes = Json.bytes(result).length;
            assertTrue(bytes <= MAX_RESULT_BYTES, "a result of " + bytes + " bytes");
            assertTrue(result.path("warnings").size() <= 21, "at most 20 warnings and one overflow warning");
        }
        assertEquals(counts[0], report.path("delivered").asInt());
        assertEquals(counts[1], report.path("skipped").asInt());
        assertEquals(counts[2], report.path("rejected").asInt());
        assertEquals(counts[3], report.path("failed").asInt());
    }

    /** Every payload Ramen received is bounded, and a Secure Mode hash verifies against the bytes as sent. */
    public static void sent(Collection<byte[]> payloads, Optional<String> secret) {
        for (byte[] bytes : payloads) {
            assertTrue(bytes.length <= MAX_SENT_BYTES, "a payload of " + bytes.length + " bytes");
            JsonNode payload = Fixtures.parse(new String(bytes, StandardCharsets.UTF_8));
            assertNoUnpairedSurrogate(payload);
            if (secret.isPresent() && payload.has("auth_hash")) {
                JsonNode user = payload.path("user");
                String expected = SecureModeHash.of(Json.text(user.get("email")), Json.text(user.get("id")), Json.text(user.get("name")),
                        payload.path("timestamp").asLong(), secret.get());
                assertEquals(expected, payload.path("auth_hash").asText(), "the hash verifies against the bytes sent");
            }
        }
    }

    static void assertNoUnpairedSurrogate(JsonNode node) {
        if (node.isTextual()) {
            assertEquals(null, io.segmentramen.json.TextRepair.fix(node.textValue()), "no unpaired surrogate reaches Ramen");
        }
        Iterator<java.util.Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            assertEquals(null, io.segmentramen.json.TextRepair.fix(field.getKey()));
            assertNoUnpairedSurrogate(field.getValue());
        }
        if (node.isArray()) {
            node.forEach(Invariants::assertNoUnpairedSurrogate);
        }
    }

    static String abbreviated(JsonNode node) {
        String text = node.toString();
        return text.length() < 500 ? text : text.substring(0, 500) + "…";
    }
}
