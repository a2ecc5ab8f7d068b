package io.segmentramen.http;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import io.segmentramen.segment.EventParser;

/**
 * Authenticates the HTTP entry point (SPEC §7): Segment's X-Signature (hex HMAC-SHA1 of the raw
 * bytes it signed) or a bearer token, compared in constant time. With neither configured, only the
 * explicit {@code SEGMENT_AUTH=none} lets requests in.
 */
public final class RequestAuthenticator {

    public enum Result { ACCEPTED, MISSING_CREDENTIALS, INVALID_CREDENTIALS, NOT_CONFIGURED }

    private final Optional<byte[]> sharedSecret;
    private final Optional<byte[]> authToken;
    private final boolean explicitlyOpen;

    public RequestAuthenticator(Optional<String> sharedSecret, Optional<String> authToken, Optional<String> authMode) {
        this.sharedSecret = sharedSecret.filter(s -> !s.isEmpty()).map(s -> s.getBytes(StandardCharsets.UTF_8));
        this.authToken = authToken.filter(s -> !s.isEmpty()).map(s -> s.getBytes(StandardCharsets.UTF_8));
        this.explicitlyOpen = authMode.map(mode -> mode.trim().equalsIgnoreCase("none")).orElse(false);
    }

    public boolean isOpen() {
        return sharedSecret.isEmpty() && authToken.isEmpty();
    }

    /**
     * Checks the request's credentials against its raw body; Segment's X-Signature covers the raw
     * first element of an array, otherwise the whole body ({@link EventParser#signedBytes}).
     */
    public Result verify(InboundRequest request) {
        if (isOpen()) {
            return explicitlyOpen ? Result.ACCEPTED : Result.NOT_CONFIGURED;
        }
        String authorization = request.header("Authorization");
        if (authToken.isPresent() && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(sha256(presented), sha256(authToken.get()))) {
                return Result.ACCEPTED;
            }
        }
        String signature = request.header("X-Signature");
        if (sharedSecret.isPresent() && signature != null) {
            byte[] expected = hmacSha1Hex(sharedSecret.get(), EventParser.signedBytes(request.body())).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, signature.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
                return Result.ACCEPTED;
            }
        }
        return signature == null && authorization == null ? Result.MISSING_CREDENTIALS : Result.INVALID_CREDENTIALS;
    }

    public static String hmacSha1Hex(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return HexFormat.of().formatHex(mac.doFinal(data));
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
}
