package io.segmentramen.delivery;

import com.fasterxml.jackson.core.JsonGenerator;
import io.segmentramen.json.Json;
import io.segmentramen.observability.LogContext;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.outcome.Status;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * One JSON line per event outcome (docs/CONTRACT.md §2), raw on stdout, its fields at the root. The line
 * carries ids, codes and the event's bounded warnings only: emails are masked wherever they appear,
 * and no secret or hash is ever passed in. A dry run's lines say {@code "dryRun":true}. The request's
 * EMF metrics are derived from the same results (delivery/Report#metrics), so they agree with these lines.
 */
public final class OutcomeLog {

    public static final String CATEGORY = "io.segmentramen.outcome";
    private static final Logger LOG = Logger.getLogger(CATEGORY);
    /**
     * Matches only from the start of a run of local-part characters, possessively: linear in the
     * text (found by fuzzing: without it, masking a 32 KB messageId without '@' took 0.5 s).
     */
    private static final Pattern EMAIL = Pattern.compile("(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*+@([A-Za-z0-9.-]+)");

    private OutcomeLog() {
    }

    public static void log(EventResult result, boolean dryRun) {
        Logger.Level level = level(result);
        LOG.log(level, line(result, dryRun, level));
    }

    /** ERROR for a configuration error (docs/CONTRACT.md §2: 401, 404, 3xx, ...), WARN for other failures, else INFO. */
    static Logger.Level level(EventResult result) {
        if (result.status() != Status.FAILED) {
            return Logger.Level.INFO;
        }
        return result.rejectionReason().configurationError() ? Logger.Level.ERROR : Logger.Level.WARN;
    }

    /** Written with a streaming generator: no tree per event. */
    public static String line(EventResult result, boolean dryRun) {
        return line(result, dryRun, level(result));
    }

    private static String line(EventResult result, boolean dryRun, Logger.Level level) {
        return Json.objectText(256, line -> {
            // the line is written raw (no formatter adds a level): the field lets a query or a
            // metric filter on level = "ERROR" find configuration errors among the outcomes
            line.writeStringField("level", level.name());
            line.writeStringField("messageId", mask(result.messageId()));
            line.writeStringField("type", result.type());
            line.writeStringField("status", result.status().wireName());
            line.writeStringField("reason", result.reason());
            if (result.ramenStatus() == null || dryRun) { // a dry run never asks Ramen
                line.writeNullField("ramenStatus");
            } else {
                line.writeNumberField("ramenStatus", result.ramenStatus());
            }
            line.writeNumberField("attempts", result.attempts());
            line.writeNumberField("latencyMs", result.latencyMs());
            if (result.message() != null) { // a delivered event has none
                line.writeStringField("message", mask(result.message()));
            }
            line.writeArrayFieldStart("warnings");
            for (String warning : result.warnings()) {
                line.writeString(mask(warning));
            }
            line.writeEndArray();
            if (dryRun) {
                line.writeBooleanField("dryRun", true);
            }
            awsRequestId(line);
        });
    }

    /** {@code ada@example.com} → {@code a***@example.com}. */
    public static String mask(String text) {
        // nearly every text has no '@' at all (message ids, most warnings): no matcher for those
        return text == null || text.indexOf('@') < 0 ? text : EMAIL.matcher(text).replaceAll("$1***@$2");
    }

    /**
     * Buffered mode (docs/CONTRACT.md §2): an SQS record that failed authentication or could not be parsed.
     * The line names the record and the reason, never its body; the record goes back to the queue.
     * The caller counts it in the request's metrics, as the failed outcome it is.
     */
    public static void failedRecord(String sqsMessageId, Rejection rejection) {
        LOG.error(Json.objectText(256, line -> {
            line.writeStringField("level", Logger.Level.ERROR.name());
            line.writeStringField("sqsMessageId", sqsMessageId);
            line.writeStringField("status", Status.FAILED.wireName());
            line.writeStringField("reason", rejection.code());
            line.writeStringField("message", mask(rejection.message()));
            awsRequestId(line);
        }));
    }

    private static void awsRequestId(JsonGenerator line) throws IOException {
        Object requestId = MDC.get(LogContext.AWS_REQUEST_ID);
        if (requestId != null) {
            line.writeStringField(LogContext.AWS_REQUEST_ID, requestId.toString());
        }
    }
}
