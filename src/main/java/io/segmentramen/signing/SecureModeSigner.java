package io.segmentramen.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.mapping.RamenPayload;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.segment.Times;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides how a payload is signed and signs it. The secret lives only here; it is never part of a
 * payload, a plan, a log line or a report.
 */
public final class SecureModeSigner {

    private static final String TIMESTAMP = RamenPayload.TIMESTAMP;
    private static final String AUTH_HASH = RamenPayload.AUTH_HASH;

    private final Optional<String> secret;
    private final SecureMode mode;
    private final Duration maxAge;

    public SecureModeSigner(Optional<String> secret, SecureMode mode, Duration maxAge) {
        this.secret = secret.filter(s -> !s.isEmpty());
        this.mode = mode;
        this.maxAge = maxAge;
    }

    /** True when a sender's hash would be forwarded, so the mapper must keep {@code user.name} as given. */
    public boolean forwardsSenderHash(ObjectNode ramenOptions) {
        return secret.isEmpty() && mode != SecureMode.off && senderHash(ramenOptions) != null;
    }

    public SigningPlan plan(ObjectNode payload, ObjectNode ramenOptions, Instant now) {
        if (!payload.path("user").has("id")) {
            return SigningPlan.UNSIGNED;
        }
        if (mode == SecureMode.off) {
            return SigningPlan.UNSIGNED;
        }
        if (secret.isPresent()) {
            return SigningPlan.SIGN_EACH_ATTEMPT;
        }
        JsonNode given = ramenOptions == null ? null : ramenOptions.get("auth_hash");
        if (given != null && !given.isNull() && !given.isTextual()) {
            // e.g. 1e999: a hash is hex text; forwarding anything else cannot verify.
            return new SigningPlan.Reject(new Rejection(Reason.INVALID_FIELD, "integrations.Ramen.auth_hash must be a string (lowercase hex SHA-256)"));
        }
        String hash = senderHash(ramenOptions);
        if (hash != null) {
            OptionalLong timestamp = senderTimestamp(ramenOptions);
            if (timestamp.isEmpty()) {
                return new SigningPlan.Reject(new Rejection(Reason.STALE_SECURE_MODE_TIMESTAMP,
                        "integrations.Ramen.auth_hash comes without a timestamp (integrations.Ramen.timestamp or auth_hash_timestamp)"));
            }
            long age = now.getEpochSecond() - timestamp.getAsLong();
            if (age > maxAge.toSeconds() || age < -maxAge.toSeconds()) {
                return new SigningPlan.Reject(new Rejection(Reason.STALE_SECURE_MODE_TIMESTAMP,
                        "integrations.Ramen timestamp is " + age + " s from now, outside the " + maxAge.toSeconds() + " s Secure Mode window"));
            }
            return new SigningPlan.Forward(hash, timestamp.getAsLong());
        }
        if (mode == SecureMode.required) {
            return new SigningPlan.Reject(new Rejection(Reason.SECURE_MODE_UNSIGNED,
                    "Secure Mode is required but RAMEN_SECRET_KEY is not set and integrations.Ramen.auth_hash is absent"));
        }
        return SigningPlan.UNSIGNED;
    }

    /** The payload as one delivery attempt sends it; the mapped payload itself is never changed. */
    public ObjectNode apply(ObjectNode payload, SigningPlan plan, Instant now) {
        ObjectNode added = signature(RamenPayload.User.of(payload), plan, now);
        if (added == null) {
            return payload;
        }
        // The top level only: signing adds two fields and never touches the nested objects it shares.
        ObjectNode signed = payload.objectNode();
        signed.setAll(payload);
        signed.setAll(added);
        return signed;
    }

    /**
     * The bytes one delivery attempt sends: exactly {@code Json.bytes(apply(tree, plan, now))} for the tree
     * the payload was written from, made from the payload's JSON written once at mapping. The two signing
     * fields, written on their own, take the place of its closing brace; a payload that already had either
     * field (the mapper writes neither) is written whole, since replacing a field keeps its place.
     */
    public byte[] wire(RamenPayload payload, SigningPlan plan, Instant now) {
        ObjectNode added = signature(payload.user(), plan, now);
        if (added == null) {
            return payload.json();
        }
        if (payload.rewritten() != null) {
            return Json.bytes(apply(payload.rewritten(), plan, now));
        }
        byte[] mapped = payload.json();
        byte[] fields = Json.bytes(added);
        boolean empty = mapped.length == 2; // "{}"
        byte[] wire = new byte[mapped.length - 1 + (empty ? 0 : 1) + fields.length - 1];
        System.arraycopy(mapped, 0, wire, 0, mapped.length - 1);
        int at = mapped.length - 1;
        if (!empty) {
            wire[at++] = ',';
        }
        System.arraycopy(fields, 1, wire, at, fields.length - 1);
        return wire;
    }

    /** The fields signing adds, in their order ({@code timestamp}, {@code auth_hash}), or null for none. */
    private ObjectNode signature(RamenPayload.User user, SigningPlan plan, Instant now) {
        if (plan instanceof SigningPlan.SignEachAttempt) {
            long timestamp = now.getEpochSecond();
            return Json.object().put(TIMESTAMP, timestamp)
                    .put(AUTH_HASH, SecureModeHash.of(user.email(), user.id(), user.name(), timestamp, secret.orElseThrow()));
        }
        if (plan instanceof SigningPlan.Forward forward) {
            return Json.object().put(TIMESTAMP, forward.timestamp()).put(AUTH_HASH, forward.authHash());
        }
        return null;
    }

    private static String senderHash(ObjectNode options) {
        if (options == null) {
            return null;
        }
        JsonNode hash = options.get("auth_hash");
        return hash == null || !hash.isTextual() || hash.textValue().isEmpty() ? null : hash.textValue();
    }

    private static OptionalLong senderTimestamp(ObjectNode options) {
        JsonNode timestamp = options.get("timestamp");
        if (timestamp == null || timestamp.isNull()) {
            timestamp = options.get("auth_hash_timestamp");
        }
        return Times.toEpochSeconds(timestamp);
    }
}
