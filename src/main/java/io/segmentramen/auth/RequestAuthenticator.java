package io.segmentramen.auth;

import io.segmentramen.auth.AuthResult.Refusal;
import io.segmentramen.segment.ScannedBody;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Authenticates every entry point (docs/CONTRACT.md §6): a bearer token (authenticates any body) or
 * Segment's X-Signature, hex HMAC-SHA1 of the raw bytes it signed, compared in constant time.
 * The current and the previous value of each are accepted during a rotation; the result says
 * which matched. With neither configured, only the explicit {@code SEGMENT_AUTH=none} lets requests in.
 */
public final class RequestAuthenticator {

    private static final AuthResult PREVIOUS = new AuthResult.Authenticated(true);

    private final AuthSettings settings;
    /** Current first, then previous. */
    private final List<byte[]> secrets;
    private final List<byte[]> tokenDigests;

    public RequestAuthenticator(AuthSettings settings) {
        this.settings = settings;
        this.secrets = values(settings.sharedSecret(), settings.sharedSecretPrevious(), value -> value);
        this.tokenDigests = values(settings.authToken(), settings.authTokenPrevious(), RequestAuthenticator::sha256);
    }

    public AuthSettings settings() {
        return settings;
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param signature     the {@code X-Signature} header, or null
     * @param body          the raw body the signature is over
     */
    public AuthResult verify(String authorization, String signature, byte[] body) {
        return verify(authorization, signature, ScannedBody.unlimited(body));
    }

    /**
     * The same, for a body the parser reads next: the X-Signature's span comes from the body's one
     * scan, which the parser then reuses.
     *
     * @param scanned the raw body the signature is over
     */
    public AuthResult verify(String authorization, String signature, ScannedBody scanned) {
        if (!settings.configured()) {
            return settings.explicitlyOpen() ? AuthResult.CURRENT : new AuthResult.Refused(Refusal.NOT_CONFIGURED);
        }
        int token = matchToken(authorization);
        if (token >= 0) {
            return authenticated(token);
        }
        if (signature != null && !secrets.isEmpty()) {
            byte[] body = scanned.body();
            byte[] presented = signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            SignedSpan first = SignedSpan.firstElement(scanned);
            if (first != null) {
                int match = matchSignature(presented, body, first.start(), first.length());
                if (match >= 0) {
                    return first.moreElements() && !settings.trustFirstElementSignature()
                            ? new AuthResult.Refused(Refusal.BATCH_NEEDS_TOKEN) : authenticated(match);
                }
            }
            int match = matchSignature(presented, body, 0, body.length);
            if (match >= 0) {
                return authenticated(match);
            }
        }
        return new AuthResult.Refused(signature == null && authorization == null ? Refusal.MISSING_CREDENTIALS : Refusal.INVALID_CREDENTIALS);
    }

    /** The bearer token alone (buffered mode's authorizer: no body yet). */
    public AuthResult verifyToken(String authorization) {
        if (!settings.hasToken()) {
            return new AuthResult.Refused(Refusal.NOT_CONFIGURED);
        }
        int token = matchToken(authorization);
        if (token >= 0) {
            return authenticated(token);
        }
        return new AuthResult.Refused(authorization == null ? Refusal.MISSING_CREDENTIALS : Refusal.INVALID_CREDENTIALS);
    }

    private int matchToken(String authorization) {
        if (tokenDigests.isEmpty() || authorization == null) {
            return -1;
        }
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return -1;
        }
        byte[] presented = sha256(value.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        int match = -1;
        for (int i = 0; i < tokenDigests.size(); i++) {
            // every value is compared, so the time taken does not tell which one matched
            if (MessageDigest.isEqual(presented, tokenDigests.get(i)) && match < 0) {
                match = i;
            }
        }
        return match;
    }

    private int matchSignature(byte[] presented, byte[] body, int offset, int length) {
        int match = -1;
        for (int i = 0; i < secrets.size(); i++) {
            byte[] expected = hmacSha1Hex(secrets.get(i), body, offset, length).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, presented) && match < 0) {
                match = i;
            }
        }
        return match;
    }

    private static AuthResult authenticated(int index) {
        return index == 0 ? AuthResult.CURRENT : PREVIOUS;
    }

    public static String hmacSha1Hex(byte[] key, byte[] data) {
        return hmacSha1Hex(key, data, 0, data.length);
    }

    private static String hmacSha1Hex(byte[] key, byte[] data, int offset, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, offset, length);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<byte[]> values(Optional<String> current, Optional<String> previous,
                                       java.util.function.UnaryOperator<byte[]> transform) {
        List<byte[]> values = new ArrayList<>(2);
        current.ifPresent(value -> values.add(transform.apply(value.getBytes(StandardCharsets.UTF_8))));
        if (current.isPresent()) {
            previous.ifPresent(value -> values.add(transform.apply(value.getBytes(StandardCharsets.UTF_8))));
        }
        return List.copyOf(values);
    }
}
