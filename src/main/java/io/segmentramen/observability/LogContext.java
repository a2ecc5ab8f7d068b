package io.segmentramen.observability;

import org.jboss.logging.MDC;

/**
 * The MDC fields of application log lines (docs/RUNBOOK.md, "What the function tells you"):
 * {@code awsRequestId} during a Lambda invocation and {@code coldStart} on the first one. The JSON
 * formatter prints them under {@code mdc}.
 */
public final class LogContext implements AutoCloseable {

    public static final String AWS_REQUEST_ID = "awsRequestId";
    public static final String COLD_START = "coldStart";

    private LogContext() {
    }

    /** Sets the fields for one invocation; close it to remove them. */
    public static LogContext invocation(String awsRequestId, boolean coldStart) {
        if (awsRequestId != null) {
            MDC.put(AWS_REQUEST_ID, awsRequestId);
        }
        if (coldStart) {
            MDC.put(COLD_START, "true");
        }
        return new LogContext();
    }

    @Override
    public void close() {
        MDC.remove(AWS_REQUEST_ID);
        MDC.remove(COLD_START);
    }
}
