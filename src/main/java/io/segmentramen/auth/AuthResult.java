package io.segmentramen.auth;

import io.segmentramen.outcome.Reason;

/** What authenticating one request or record came to. */
public sealed interface AuthResult {

    Authenticated CURRENT = new Authenticated(false);

    /** @param previous a previous (rotated-out) secret or token matched: counts in the {@code AuthPrevious} metric */
    record Authenticated(boolean previous) implements AuthResult {
    }

    record Refused(Refusal refusal) implements AuthResult {
    }

    /** Why a request was refused, with the sentence an entry point answers with. */
    enum Refusal {
        NOT_CONFIGURED(Reason.AUTH_NOT_CONFIGURED,
                "request authentication is not configured: set SEGMENT_SHARED_SECRET or SEGMENT_AUTH_TOKEN (or SEGMENT_AUTH=none)"),
        MISSING_CREDENTIALS(Reason.MISSING_CREDENTIALS,
                "send X-Signature (HMAC-SHA1 of the body with the shared secret) or Authorization: Bearer <token>"),
        INVALID_CREDENTIALS(Reason.INVALID_CREDENTIALS, "X-Signature or Authorization does not match"),
        /**
         * An array of several events whose X-Signature covers only its first element: the rest could
         * be forged (docs/CONTRACT.md §2, {@code batch_needs_token}).
         */
        BATCH_NEEDS_TOKEN(Reason.BATCH_NEEDS_TOKEN,
                "this batch is signed over its first event only, so the other events are not authenticated:"
                        + " configure SEGMENT_AUTH_TOKEN and send it as Authorization: Bearer <token>");

        private final Reason reason;
        private final String message;

        Refusal(Reason reason, String message) {
            this.reason = reason;
            this.message = message;
        }

        public Reason reason() {
            return reason;
        }

        public String code() {
            return reason.code();
        }

        public String message() {
            return message;
        }
    }
}
