package io.segmentramen.segment;

import io.segmentramen.outcome.Reason;

/**
 * A request refused whole, before any event is looked at: a {@link Reason} that refuses requests
 * (its HTTP status and machine-readable code) with a sentence for people.
 */
public final class RequestError extends Exception {

    private final transient Reason reason;

    public RequestError(Reason reason, String message) {
        super(message, null, false, false);
        if (!reason.refusesRequest()) {
            throw new IllegalArgumentException(reason + " ends an event; it does not refuse a request");
        }
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public int status() {
        return reason.httpStatus();
    }

    public String code() {
        return reason.code();
    }
}
