package io.segmentramen.auth;

/** What authenticating one request or record came to. */
public sealed interface AuthResult {

    Authenticated CURRENT = new Authenticated(false);

    /** @param previous a previous (rotated-out) secret or token matched: counts in the {@code AuthPrevious} metric */
    record Authenticated(boolean previous) implements AuthResult {
    }

    record Refused(Refusal refusal) implements AuthResult {
    }

    /** Why a request was refused; the code is the one an entry point answers with. */
    enum Refusal {
        NOT_CONFIGURED("auth_not_configured",
                "request authentication is not configured: set SEGMENT_SHARED_SECRET or SEGMENT_AUTH_TOKEN (or SEGMENT_AUTH=none)"),
        MISSING_CREDENTIALS("missing_credentials",
                "send X-Signature (HMAC-SHA1 of the body with the shared secret) or Authorization: Bearer <token>"),
        INVALID_CREDENTIALS("invalid_credentials", "X-Signature or Authorization does not match"),
        /**
         * An array of several events whose X-Signature covers only its first element: the rest could
         * be forged (docs/CONTRACT.md §2, {@code batch_needs_token}). Retryable on purpose: Segment keeps
         * the events while a token is added.
         */
        BATCH_NEEDS_TOKEN("batch_needs_token",
                "this batch is signed over its first event only, so the other events are not authenticated:"
                        + " configure SEGMENT_AUTH_TOKEN and send it as Authorization: Bearer <token>");

        private final String code;
        private final String message;

        Refusal(String code, String message) {
            this.code = code;
            this.message = message;
        }

        public String code() {
            return code;
        }

        public String message() {
            return message;
        }
    }
}
