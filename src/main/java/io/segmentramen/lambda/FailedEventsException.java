package io.segmentramen.lambda;

/**
 * Ends a direct invocation in error when any event failed, so that Segment's AWS Lambda
 * destination (or Lambda's own retry of an asynchronous call) tries again. The message lists the
 * failed messageIds and reasons, never payload values.
 */
public final class FailedEventsException extends RuntimeException {

    public FailedEventsException(int failed, String summary) {
        super(failed + " event(s) failed and must be retried: " + summary, null, false, false);
    }
}
