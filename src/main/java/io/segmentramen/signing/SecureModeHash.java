package io.segmentramen.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Ramen's Secure Mode hash: lowercase hex SHA-256 of {@code email:id:name:timestamp:SECRET} (not an HMAC). */
public final class SecureModeHash {

    private SecureModeHash() {
    }

    public static String of(String email, String id, String name, long timestamp, String secret) {
        String material = orEmpty(email) + ":" + orEmpty(id) + ":" + orEmpty(name) + ":" + timestamp + ":" + secret;
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
