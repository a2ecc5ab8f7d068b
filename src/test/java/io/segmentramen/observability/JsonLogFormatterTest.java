package io.segmentramen.observability;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.json.Json;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An application line is one JSON object on one line, with the fields docs/CONTRACT.md §8 names. */
class JsonLogFormatterTest {

    @AfterEach
    void clearMdc() {
        MDC.remove(LogContext.AWS_REQUEST_ID);
    }

    private static ExtLogRecord record(String message, Object... parameters) {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, message, ExtLogRecord.FormatStyle.PRINTF, JsonLogFormatterTest.class.getName());
        record.setLoggerName("io.segmentramen.delivery.EventPipeline");
        record.setParameters(parameters);
        record.setInstant(Instant.parse("2026-12-07T02:36:20.123Z"));
        return record;
    }

    @Test
    void oneObjectWithTheNamedFieldsAndTheMdc() throws Exception {
        MDC.put(LogContext.AWS_REQUEST_ID, "req-1");
        ExtLogRecord record = record("ignored header %s on \"%s\"\nsecond line", "X-Ramen-Dry-Run", "quote");
        record.copyMdc();
        String line = new JsonLogFormatter().format(record);
        assertTrue(line.endsWith("\n"), line);
        assertEquals(1, line.lines().count(), "one line: " + line);
        JsonNode json = Json.MAPPER.readTree(line);
        assertEquals("WARN", json.path("level").asText().replace("WARNING", "WARN"), line);
        assertEquals("io.segmentramen.delivery.EventPipeline", json.path("loggerName").asText());
        assertEquals("ignored header X-Ramen-Dry-Run on \"quote\"\nsecond line", json.path("message").asText());
        assertEquals("req-1", json.path("mdc").path("awsRequestId").asText());
        assertTrue(json.path("timestamp").asText().startsWith("2026-12-07T"), line);
        assertFalse(json.has("stackTrace"), line);
    }

    @Test
    void anExceptionComesAsItsStackTrace() throws Exception {
        ExtLogRecord record = record("failed");
        record.setThrown(new IllegalStateException("boom"));
        JsonNode json = Json.MAPPER.readTree(new JsonLogFormatter().format(record));
        assertTrue(json.path("stackTrace").asText().startsWith("java.lang.IllegalStateException: boom"), json.toString());
        assertFalse(json.has("mdc"), json.toString());
    }
}
