package io.segmentramen.outcome;

import java.util.Objects;

/**
 * Why an event was not delivered, or a request refused: a {@link Reason} of docs/CONTRACT.md's
 * outcome table and a sentence naming the field without echoing personal data. The stage that stops
 * an event (parsing, validation, mapping, signing, Ramen's answer, delivery) makes one, and it
 * reaches the event's outcome, report and log line as the same object.
 */
public record Rejection(Reason reason, String message) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
    }

    /** The reason's code, as reports and log lines write it. */
    public String code() {
        return reason.code();
    }

    /** The same reason, with {@code more} after the message (e.g. {@code " (after 3 attempts)"}). */
    public Rejection followedBy(String more) {
        return new Rejection(reason, message + more);
    }
}
