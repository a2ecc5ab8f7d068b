package io.segmentramen.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.mapping.MappingResult;
import io.segmentramen.mapping.ImportRule;
import io.segmentramen.mapping.RamenMapper;
import io.segmentramen.segment.SegmentEvent;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision table of docs/CONTRACT.md §4, row by row, and what the signed payload carries. */
class SecureModeSignerTest {

    private static final String SECRET = "s3cr3t-for-tests";
    private static final Duration MAX_AGE = Duration.ofMinutes(15);
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final long NOW_S = NOW.getEpochSecond();

    private final RamenMapper mapper = new RamenMapper("org-1", ImportRule.parse("off"), Clock.systemUTC());

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static SecureModeSigner withSecret(SecureMode mode) {
        return new SecureModeSigner(Optional.of(SECRET), mode, MAX_AGE);
    }

    private static SecureModeSigner withoutSecret(SecureMode mode) {
        return new SecureModeSigner(Optional.empty(), mode, MAX_AGE);
    }

    private static SegmentEvent event(String json) {
        return new SegmentEvent(0, Fixtures.parse(json), json.length());
    }

    private static String identify(String ramenOptions) {
        return "{\"type\":\"identify\",\"userId\":\"u-1\",\"messageId\":\"m-1\",\"traits\":{\"email\":\"ada@example.com\","
                + "\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"}" + (ramenOptions == null ? "" : ",\"integrations\":{\"Ramen\":" + ramenOptions + "}") + "}";
    }

    /** The pipeline's order: ask the signer whether a sender's hash is forwarded, map accordingly, then plan. */
    private ObjectNode mapFor(SecureModeSigner signer, SegmentEvent event) {
        MappingResult result = mapper.map(event, signer.forwardsSenderHash(event.ramenOptions()));
        return assertInstanceOf(MappingResult.Mapped.class, result).payload();
    }

    private SigningPlan plan(SecureModeSigner signer, String json) {
        SegmentEvent event = event(json);
        return signer.plan(mapFor(signer, event), event.ramenOptions(), NOW);
    }

    private static String senderHash(long timestamp) {
        return "{\"auth_hash\":\"" + sha256("ada@example.com:u-1::" + timestamp + ":sender-secret") + "\",\"timestamp\":" + timestamp + "}";
    }

    // --- secret set -------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = SecureMode.class, names = {"optional", "required"})
    void secretSetSignsEachAttemptAndIgnoresTheSendersHash(SecureMode mode) {
        SecureModeSigner signer = withSecret(mode);
        assertSame(SigningPlan.SIGN_EACH_ATTEMPT, plan(signer, identify(null)));
        assertSame(SigningPlan.SIGN_EACH_ATTEMPT, plan(signer, identify(senderHash(NOW_S))));
        assertSame(SigningPlan.SIGN_EACH_ATTEMPT, plan(signer, identify(senderHash(NOW_S - 86_400))), "a stale sender hash is ignored too");
        assertFalse(signer.forwardsSenderHash((ObjectNode) Fixtures.parse(senderHash(NOW_S))));
    }

    @Test
    void secretSetAndModeOffIsUnsigned() {
        SecureModeSigner signer = withSecret(SecureMode.off);
        assertSame(SigningPlan.UNSIGNED, plan(signer, identify(null)));
        assertSame(SigningPlan.UNSIGNED, plan(signer, identify(senderHash(NOW_S))));
        ObjectNode payload = mapFor(signer, event(identify(null)));
        assertSame(payload, signer.apply(payload, SigningPlan.UNSIGNED, NOW));
        assertFalse(payload.has("auth_hash"));
    }

    @Test
    void signedPayloadCarriesClockSecondsAndTheHashOfExactlyTheSentValues() {
        SecureModeSigner signer = withSecret(SecureMode.optional);
        ObjectNode payload = mapFor(signer, event(identify(null)));
        ObjectNode signed = signer.apply(payload, SigningPlan.SIGN_EACH_ATTEMPT, NOW);
        JsonNode user = signed.path("user");
        assertEquals("Ada Lovelace", user.path("name").asText(), "the name fallback applies when the function signs");
        assertEquals(NOW_S, signed.path("timestamp").asLong());
        assertEquals(sha256("ada@example.com:u-1:Ada Lovelace:" + NOW_S + ":" + SECRET), signed.path("auth_hash").asText());
        assertFalse(payload.has("auth_hash") || payload.has("timestamp"), "the mapped payload itself is never changed");
        ObjectNode withoutSignature = signed.deepCopy();
        withoutSignature.remove("auth_hash");
        withoutSignature.remove("timestamp");
        assertEquals(payload, withoutSignature, "signing adds timestamp and auth_hash only");
        assertFalse(signed.toString().contains(SECRET), "the secret is never part of the payload");
    }

    @Test
    void hashCoversExactlyTheValuesSent() {
        SecureModeSigner signer = withSecret(SecureMode.optional);
        ObjectNode payload = mapFor(signer, event(identify(null)));
        String original = signer.apply(payload, SigningPlan.SIGN_EACH_ATTEMPT, NOW).path("auth_hash").asText();
        ObjectNode renamed = payload.deepCopy();
        ((ObjectNode) renamed.path("user")).put("name", "Ada King");
        String changed = signer.apply(renamed, SigningPlan.SIGN_EACH_ATTEMPT, NOW).path("auth_hash").asText();
        assertNotEquals(original, changed);
        assertEquals(sha256("ada@example.com:u-1:Ada King:" + NOW_S + ":" + SECRET), changed);
        ObjectNode nameless = payload.deepCopy();
        ((ObjectNode) nameless.path("user")).remove("name");
        assertEquals(sha256("ada@example.com:u-1::" + NOW_S + ":" + SECRET),
                signer.apply(nameless, SigningPlan.SIGN_EACH_ATTEMPT, NOW).path("auth_hash").asText(), "absent → empty string");
    }

    @Test
    void eachAttemptIsSignedWithItsOwnTime() {
        SecureModeSigner signer = withSecret(SecureMode.required);
        ObjectNode payload = mapFor(signer, event("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u-1\"}"));
        Instant later = NOW.plus(Duration.ofHours(3));
        ObjectNode first = signer.apply(payload, SigningPlan.SIGN_EACH_ATTEMPT, NOW);
        ObjectNode retry = signer.apply(payload, SigningPlan.SIGN_EACH_ATTEMPT, later);
        assertEquals(later.getEpochSecond(), retry.path("timestamp").asLong());
        assertEquals(sha256(":u-1::" + later.getEpochSecond() + ":" + SECRET), retry.path("auth_hash").asText());
        assertNotEquals(first.path("auth_hash"), retry.path("auth_hash"));
    }

    // --- secret unset -----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = SecureMode.class, names = {"optional", "required"})
    void secretUnsetAndFreshSenderHashIsForwardedAsGiven(SecureMode mode) {
        SecureModeSigner signer = withoutSecret(mode);
        long timestamp = NOW_S - 600;
        String json = identify(senderHash(timestamp));
        SigningPlan.Forward forward = assertInstanceOf(SigningPlan.Forward.class, plan(signer, json));
        assertEquals(timestamp, forward.timestamp());
        assertFalse(forward.toString().contains(forward.authHash()), "the hash is redacted from toString");
        ObjectNode payload = mapFor(signer, event(json));
        assertFalse(payload.path("user").has("name"), "no firstName/lastName fallback: the sender hashed an empty name");
        ObjectNode sent = signer.apply(payload, forward, NOW);
        assertEquals(timestamp, sent.path("timestamp").asLong());
        assertEquals(sha256("ada@example.com:u-1::" + timestamp + ":sender-secret"), sent.path("auth_hash").asText());
    }

    @Test
    void forwardedHashKeepsUserNameExactlyAsGiven() {
        SecureModeSigner signer = withoutSecret(SecureMode.optional);
        String json = "{\"type\":\"identify\",\"userId\":\"u-1\",\"traits\":{\"email\":\"ada@example.com\",\"name\":\"  Ada  \"},"
                + "\"integrations\":{\"Ramen\":{\"auth_hash\":\"abc\",\"auth_hash_timestamp\":\"" + NOW + "\"}}}";
        SegmentEvent event = event(json);
        assertTrue(signer.forwardsSenderHash(event.ramenOptions()));
        ObjectNode payload = mapFor(signer, event);
        assertEquals("  Ada  ", payload.path("user").path("name").asText());
        SigningPlan.Forward forward = assertInstanceOf(SigningPlan.Forward.class, signer.plan(payload, event.ramenOptions(), NOW));
        assertEquals(NOW_S, forward.timestamp(), "auth_hash_timestamp is accepted, ISO-8601 too");
        assertEquals("abc", signer.apply(payload, forward, NOW).path("auth_hash").asText());
    }

    @Test
    void withoutAForwardedHashTheNameFallbackApplies() {
        SecureModeSigner signer = withoutSecret(SecureMode.optional);
        assertEquals("Ada Lovelace", mapFor(signer, event(identify(null))).path("user").path("name").asText());
    }

    @ParameterizedTest
    @EnumSource(value = SecureMode.class, names = {"optional", "required"})
    void secretUnsetAndStaleSenderHashIsRejected(SecureMode mode) {
        SecureModeSigner signer = withoutSecret(mode);
        for (long timestamp : new long[] {NOW_S - MAX_AGE.toSeconds() - 1, NOW_S + MAX_AGE.toSeconds() + 1, NOW_S - 86_400}) {
            SigningPlan.Reject reject = assertInstanceOf(SigningPlan.Reject.class, plan(signer, identify(senderHash(timestamp))));
            assertEquals("stale_secure_mode_timestamp", reject.rejection().code());
            assertFalse(reject.rejection().message().contains(sha256("ada@example.com:u-1::" + timestamp + ":sender-secret")),
                    "the hash never appears in an error message");
        }
        assertInstanceOf(SigningPlan.Forward.class, plan(signer, identify(senderHash(NOW_S - MAX_AGE.toSeconds()))), "the window's edge is fresh");
    }

    @Test
    void senderHashWithoutTimestampIsRejected() {
        SigningPlan.Reject reject = assertInstanceOf(SigningPlan.Reject.class,
                plan(withoutSecret(SecureMode.optional), identify("{\"auth_hash\":\"abc\"}")));
        assertEquals("stale_secure_mode_timestamp", reject.rejection().code());
    }

    @Test
    void secretUnsetNoHashAndRequiredIsRejected() {
        SigningPlan.Reject reject = assertInstanceOf(SigningPlan.Reject.class, plan(withoutSecret(SecureMode.required), identify(null)));
        assertEquals("secure_mode_unsigned", reject.rejection().code());
        SigningPlan.Reject emptyHash = assertInstanceOf(SigningPlan.Reject.class,
                plan(withoutSecret(SecureMode.required), identify("{\"auth_hash\":\"\",\"timestamp\":" + NOW_S + "}")));
        assertEquals("secure_mode_unsigned", emptyHash.rejection().code(), "an empty hash is no hash");
    }

    @ParameterizedTest
    @EnumSource(value = SecureMode.class, names = {"optional", "off"})
    void secretUnsetNoHashAndOptionalOrOffIsUnsigned(SecureMode mode) {
        assertSame(SigningPlan.UNSIGNED, plan(withoutSecret(mode), identify(null)));
    }

    @Test
    void secretUnsetAndModeOffNeverForwardsNorRejects() {
        SecureModeSigner signer = withoutSecret(SecureMode.off);
        assertSame(SigningPlan.UNSIGNED, plan(signer, identify(senderHash(NOW_S))));
        assertSame(SigningPlan.UNSIGNED, plan(signer, identify(senderHash(NOW_S - 86_400))));
        assertFalse(signer.forwardsSenderHash((ObjectNode) Fixtures.parse(senderHash(NOW_S))));
    }

    @Test
    void emptySecretCountsAsUnset() {
        SecureModeSigner signer = new SecureModeSigner(Optional.of(""), SecureMode.required, MAX_AGE);
        assertEquals("secure_mode_unsigned", assertInstanceOf(SigningPlan.Reject.class, plan(signer, identify(null))).rejection().code());
    }

    // --- anonymous --------------------------------------------------------------------------

    @Test
    void anonymousPayloadsAreNeverSignedNorRejected() {
        String[] anonymous = {
                "{\"type\":\"page\",\"anonymousId\":\"a-1\"}",
                "{\"type\":\"track\",\"event\":\"E\",\"anonymousId\":\"a-1\",\"integrations\":{\"Ramen\":" + senderHash(NOW_S - 86_400) + "}}",
                "{\"type\":\"group\",\"groupId\":\"g\",\"anonymousId\":\"a-1\",\"integrations\":{\"Ramen\":" + senderHash(NOW_S) + "}}"};
        for (SecureMode mode : SecureMode.values()) {
            for (SecureModeSigner signer : new SecureModeSigner[] {withSecret(mode), withoutSecret(mode)}) {
                for (String json : anonymous) {
                    SigningPlan plan = plan(signer, json);
                    assertSame(SigningPlan.UNSIGNED, plan, mode + " " + json);
                    ObjectNode payload = mapFor(signer, event(json));
                    assertFalse(signer.apply(payload, plan, NOW).has("auth_hash"));
                }
            }
        }
    }
}
