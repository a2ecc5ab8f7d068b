package io.segmentramen.signing;

import io.segmentramen.outcome.Rejection;

/** How one payload is signed for Ramen's Secure Mode (the decision table of docs/CONTRACT.md §4). */
public sealed interface SigningPlan {

    /** Anonymous, Secure Mode off, or optional with nothing to sign with. */
    record Unsigned() implements SigningPlan {
    }

    /** The function holds the secret: a fresh hash inside every delivery attempt. */
    record SignEachAttempt() implements SigningPlan {
    }

    /** The sender signed: its hash and timestamp travel exactly as given. */
    record Forward(String authHash, long timestamp) implements SigningPlan {
        @Override
        public String toString() {
            return "Forward[authHash=<redacted>, timestamp=" + timestamp + "]";
        }
    }

    record Reject(Rejection rejection) implements SigningPlan {
    }

    Unsigned UNSIGNED = new Unsigned();
    SignEachAttempt SIGN_EACH_ATTEMPT = new SignEachAttempt();
}
