package io.segmentramen.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures log lines exactly as the application's console handlers print them: for the root
 * logger and each given category, a capturing handler that formats every record with the formatter
 * of the console handler Quarkus installed there (the JSON formatter when it is on, the raw
 * {@code %s%n} of the outcome/metrics handler). Close it to detach.
 */
public final class LogLines implements AutoCloseable {

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final List<Logger> loggers = new ArrayList<>();
    private final List<Handler> handlers = new ArrayList<>();

    public static LogLines capture(String... categories) {
        LogLines capture = new LogLines();
        capture.attach("");
        for (String category : categories) {
            capture.attach(category);
        }
        return capture;
    }

    private void attach(String category) {
        Logger logger = Logger.getLogger(category);
        Formatter formatter = consoleFormatter(logger.getHandlers());
        if (formatter == null) {
            throw new IllegalStateException("no console handler on category '" + category + "'");
        }
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    String text = formatter.format(record);
                    for (String line : text.split("\n", -1)) {
                        if (!line.isEmpty()) {
                            lines.add(line);
                        }
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
        loggers.add(logger);
        handlers.add(handler);
    }

    /** The formatter of the first console handler among these handlers or the handlers they wrap. */
    private static Formatter consoleFormatter(Handler[] candidates) {
        for (Handler handler : candidates) {
            if (handler instanceof org.jboss.logmanager.handlers.ConsoleHandler) {
                return handler.getFormatter();
            }
            if (handler instanceof org.jboss.logmanager.ExtHandler ext) {
                Formatter nested = consoleFormatter(ext.getHandlers());
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public void clear() {
        lines.clear();
    }

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).removeHandler(handlers.get(i));
        }
    }
}
