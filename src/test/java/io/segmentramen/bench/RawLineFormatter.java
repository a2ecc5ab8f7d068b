package io.segmentramen.bench;

import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** A log record as its bare message and a newline: the deployed {@code %s%n} pattern, for benchmarks run on JDK logging. */
public final class RawLineFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        return record.getMessage() + System.lineSeparator();
    }
}
