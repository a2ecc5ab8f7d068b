package io.segmentramen.auth;

import java.util.Optional;

/**
 * Which credentials this deployment accepts (docs/CONTRACT.md §6), trimmed once here. The one place
 * that decides whether request authentication is configured: the authenticator and the start-up
 * checks both ask it.
 *
 * @param explicitlyOpen             {@code SEGMENT_AUTH=none}: no credentials, on purpose
 * @param trustFirstElementSignature {@code SEGMENT_TRUST_FIRST_ELEMENT_SIGNATURE=true}: accept an
 *                                   array signed over its first element only (a known weakness)
 */
public record AuthSettings(Optional<String> sharedSecret, Optional<String> sharedSecretPrevious,
                           Optional<String> authToken, Optional<String> authTokenPrevious,
                           boolean explicitlyOpen, boolean trustFirstElementSignature) {

    public AuthSettings {
        sharedSecret = clean(sharedSecret);
        sharedSecretPrevious = clean(sharedSecretPrevious);
        authToken = clean(authToken);
        authTokenPrevious = clean(authTokenPrevious);
    }

    /** @param authMode the value of {@code SEGMENT_AUTH}; {@code none} opens the entry point explicitly */
    public static AuthSettings of(Optional<String> sharedSecret, Optional<String> sharedSecretPrevious,
                                  Optional<String> authToken, Optional<String> authTokenPrevious,
                                  Optional<String> authMode, boolean trustFirstElementSignature) {
        boolean open = authMode.map(mode -> mode.trim().equalsIgnoreCase("none")).orElse(false);
        return new AuthSettings(sharedSecret, sharedSecretPrevious, authToken, authTokenPrevious, open, trustFirstElementSignature);
    }

    public boolean hasSharedSecret() {
        return sharedSecret.isPresent();
    }

    public boolean hasToken() {
        return authToken.isPresent();
    }

    /** Some credential is configured: requests must present one. */
    public boolean configured() {
        return hasSharedSecret() || hasToken();
    }

    /** No credential configured, and that is the explicit choice. */
    public boolean open() {
        return !configured() && explicitlyOpen;
    }

    /** A previous value without its current one: rotation half-configured. */
    public Optional<String> previousWithoutCurrent() {
        if (sharedSecretPrevious.isPresent() && sharedSecret.isEmpty()) {
            return Optional.of("SEGMENT_SHARED_SECRET_PREVIOUS");
        }
        if (authTokenPrevious.isPresent() && authToken.isEmpty()) {
            return Optional.of("SEGMENT_AUTH_TOKEN_PREVIOUS");
        }
        return Optional.empty();
    }

    private static Optional<String> clean(Optional<String> value) {
        return value == null ? Optional.empty() : value.map(String::trim).filter(v -> !v.isEmpty());
    }

    @Override
    public String toString() {
        return "AuthSettings[sharedSecret=" + (hasSharedSecret() ? "set" : "unset") + ", sharedSecretPrevious="
                + (sharedSecretPrevious.isPresent() ? "set" : "unset") + ", authToken=" + (hasToken() ? "set" : "unset")
                + ", authTokenPrevious=" + (authTokenPrevious.isPresent() ? "set" : "unset") + ", explicitlyOpen=" + explicitlyOpen
                + ", trustFirstElementSignature=" + trustFirstElementSignature + "]";
    }
}
