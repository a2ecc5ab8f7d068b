package io.segmentramen.observability;

import io.segmentramen.json.Json;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One application log line as one JSON object (docs/CONTRACT.md §8): {@code timestamp}, {@code level},
 * {@code loggerName}, {@code message}, {@code threadName}, the MDC under {@code mdc} ({@code awsRequestId}
 * during an invocation, {@code coldStart} on the first) and an exception's stack trace as
 * {@code stackTrace}. Written with the pipeline's Jackson factory, already loaded: the JSON-P based
 * formatter of quarkus-logging-json cost the native start ~3.6 ms of CPU (bench/README.md).
 */
public final class JsonLogFormatter extends ExtFormatter {

    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public String format(ExtLogRecord record) {
        return Json.objectText(256, line -> {
            line.writeStringField("timestamp", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(record.getInstant(), zone)));
            line.writeStringField("level", record.getLevel().getName());
            line.writeStringField("loggerName", record.getLoggerName());
            line.writeStringField("message", formatMessage(record));
            line.writeStringField("threadName", record.getThreadName());
            Map<String, String> mdc = record.getMdcCopy();
            if (!mdc.isEmpty()) {
                line.writeObjectFieldStart("mdc");
                for (Map.Entry<String, String> entry : mdc.entrySet()) {
                    line.writeStringField(entry.getKey(), entry.getValue());
                }
                line.writeEndObject();
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.writeStringField("stackTrace", trace.toString());
            }
        }) + "\n";
    }
}
