package io.segmentramen.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the formatted messages of some log categories while open (level, category, message per line). */
public final class LogCapture extends Handler implements AutoCloseable {

    private final StringBuffer text = new StringBuffer();
    private final List<Logger> loggers = new ArrayList<>();

    private LogCapture() {
        setLevel(Level.ALL);
    }

    public static LogCapture on(String... categories) {
        LogCapture capture = new LogCapture();
        for (String category : categories) {
            Logger logger = Logger.getLogger(category);
            logger.addHandler(capture);
            capture.loggers.add(logger);
        }
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        try {
            // JBoss LogManager's ExtLogRecord formats printf-style messages itself
            message = String.valueOf(record.getClass().getMethod("getFormattedMessage").invoke(record));
        } catch (ReflectiveOperationException ignored) {
            // a plain LogRecord: its message is enough
        }
        text.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(' ').append(message).append('\n');
    }

    public String text() {
        return text.toString();
    }

    /** The one EMF metrics line captured: capture {@code MetricsEmitter.CATEGORY} around one request. */
    public JsonNode metricsLine() {
        String captured = text();
        List<String> lines = captured.lines().filter(line -> line.contains("\"_aws\"")).toList();
        if (lines.size() != 1) {
            throw new AssertionError("expected one EMF line, found " + lines.size() + ":\n" + captured);
        }
        return Fixtures.parse(lines.get(0).substring(lines.get(0).indexOf('{')));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        loggers.forEach(logger -> logger.removeHandler(this));
    }
}
