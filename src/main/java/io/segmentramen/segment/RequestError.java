package io.segmentramen.segment;

/**
 * A request refused whole, before any event is looked at: the HTTP status it earns and a
 * machine-readable code with a sentence for people.
 */
public final class RequestError extends Exception {

    private final int status;
    private final String code;

    public RequestError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
