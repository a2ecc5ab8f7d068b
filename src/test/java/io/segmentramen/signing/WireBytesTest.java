package io.segmentramen.signing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.mapping.RamenPayload;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The bytes Ramen receives are made from the payload's JSON written once at mapping, with the signing fields
 * added to them: they must be, byte for byte, the signed payload written whole (docs/CONTRACT.md §4 and §5),
 * whatever the payload's text holds.
 */
class WireBytesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T22:00:00Z");
    private static final SecureModeSigner SIGNER = new SecureModeSigner(Optional.of("s3cret"), SecureMode.optional, Duration.ofMinutes(15));
    private static final List<String> TEXT = List.of("", "a", "Ünïcode €", "\"quoted\"", "back\\slash", "tab\there", "line\nbreak",
            "\u0000\u001f", "\u2028\u2029", "😀 emoji", "</script>", "1e999");

    private static String text(Random random) {
        return TEXT.get(random.nextInt(TEXT.size())) + (random.nextBoolean() ? TEXT.get(random.nextInt(TEXT.size())) : "");
    }

    private static ObjectNode payload(Random random) {
        ObjectNode payload = Json.object();
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            switch (random.nextInt(6)) {
                case 0 -> payload.put("organization_id", text(random));
                case 1 -> payload.put("n" + i, random.nextLong());
                case 2 -> payload.putArray("custom_links").add(text(random)).add(random.nextDouble());
                case 3 -> payload.putObject("company").put("name", text(random)).putNull("url");
                default -> {
                    ObjectNode user = payload.putObject("user");
                    if (random.nextBoolean()) {
                        user.put("id", text(random));
                    }
                    if (random.nextBoolean()) {
                        user.put("email", text(random));
                    }
                    if (random.nextBoolean()) {
                        user.put("name", text(random));
                    }
                }
            }
        }
        if (random.nextInt(8) == 0) {
            payload.put(random.nextBoolean() ? "timestamp" : "auth_hash", text(random)); // the mapper writes neither; kept in place if there
        }
        return payload;
    }

    @Test
    void theWireBytesAreTheSignedPayloadWrittenWhole() {
        Random random = new Random(20_261_206L);
        for (int run = 0; run < 20_000; run++) {
            ObjectNode tree = payload(random);
            RamenPayload payload = RamenPayload.of(tree);
            SigningPlan plan = switch (random.nextInt(3)) {
                case 0 -> SigningPlan.UNSIGNED;
                case 1 -> SigningPlan.SIGN_EACH_ATTEMPT;
                default -> new SigningPlan.Forward(text(random), random.nextLong());
            };
            Instant at = NOW.plusSeconds(random.nextInt(1_000_000));
            byte[] expected = Json.bytes(SIGNER.apply(tree, plan, at));
            byte[] wire = SIGNER.wire(payload, plan, at);
            assertArrayEquals(expected, wire, () -> new String(expected, StandardCharsets.UTF_8) + " vs " + new String(wire, StandardCharsets.UTF_8));
            assertArrayEquals(Json.bytes(tree), payload.json(), "the mapped payload itself is never changed");
        }
    }

    @Test
    void anUnsignedPayloadIsSentAsMappedWithoutWritingItAgain() {
        RamenPayload payload = RamenPayload.of(Json.object().put("organization_id", "org"));
        assertSame(payload.json(), SIGNER.wire(payload, SigningPlan.UNSIGNED, NOW));
    }

    @Test
    void theSignedBytesOfOnePayloadAsRamenReadsThem() {
        ObjectNode tree = Json.object().put("organization_id", "org").put("_partner", "segment.com");
        tree.putObject("user").put("id", "42").put("email", "ryan@ramen.is").put("name", "Ryan Angilly");
        String hash = SecureModeHash.of("ryan@ramen.is", "42", "Ryan Angilly", NOW.getEpochSecond(), "s3cret");
        assertEquals("{\"organization_id\":\"org\",\"_partner\":\"segment.com\",\"user\":{\"id\":\"42\",\"email\":\"ryan@ramen.is\","
                        + "\"name\":\"Ryan Angilly\"},\"timestamp\":" + NOW.getEpochSecond() + ",\"auth_hash\":\"" + hash + "\"}",
                new String(SIGNER.wire(RamenPayload.of(tree), SigningPlan.SIGN_EACH_ATTEMPT, NOW), StandardCharsets.UTF_8));
        assertEquals("{\"timestamp\":7,\"auth_hash\":\"a\\\"b\"}",
                new String(SIGNER.wire(RamenPayload.of(Json.object()), new SigningPlan.Forward("a\"b", 7), NOW), StandardCharsets.UTF_8));
    }
}
