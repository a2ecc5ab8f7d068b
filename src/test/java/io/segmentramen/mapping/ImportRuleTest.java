package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.segmentramen.segment.Times;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/CONTRACT.md §3, replayed history: which events carry {@code import: true}. */
class ImportRuleTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final ImportRule THIRTY_DAYS = ImportRule.parse("30d");

    /** The event's time as the mapper reads it from its {@code timestamp}. */
    private static OptionalLong at(String timestamp) {
        return Times.toEpochSeconds(TextNode.valueOf(timestamp));
    }

    @Test
    void olderThanTheThresholdIsHistory() {
        assertTrue(THIRTY_DAYS.isImport(at("2024-04-01T11:59:59Z"), null, NOW), "30 days and 1 s ago");
        assertFalse(THIRTY_DAYS.isImport(at("2024-04-01T12:00:00Z"), null, NOW), "exactly 30 days ago is not older");
        assertFalse(THIRTY_DAYS.isImport(at("2024-04-28T12:00:00Z"), null, NOW), "a 3-day-old event from the queue is live");
    }

    @Test
    void theSenderCanMarkHistory() {
        assertTrue(THIRTY_DAYS.isImport(at("2024-05-01T11:59:00Z"), BooleanNode.TRUE, NOW));
        assertFalse(THIRTY_DAYS.isImport(at("2024-05-01T11:59:00Z"), BooleanNode.FALSE, NOW));
        assertFalse(THIRTY_DAYS.isImport(at("2024-05-01T11:59:00Z"), TextNode.valueOf("true"), NOW), "only the boolean true");
    }

    @Test
    void neverWithoutATimestamp() {
        assertFalse(THIRTY_DAYS.isImport(OptionalLong.empty(), BooleanNode.TRUE, NOW));
        assertFalse(THIRTY_DAYS.isImport(at("not a time"), BooleanNode.TRUE, NOW));
    }

    @Test
    void offDisablesTheAgeRuleNotTheSendersFlag() {
        ImportRule off = ImportRule.parse("off");
        assertFalse(off.isImport(at("2001-01-01T00:00:00Z"), null, NOW));
        assertTrue(off.isImport(at("2001-01-01T00:00:00Z"), BooleanNode.TRUE, NOW));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"30d, PT720H", "12h, PT12H", "90m, PT1H30M", "45s, PT45S", "500ms, PT0.5S", "P30D, PT720H", "PT36H, PT36H", "' 7D ', PT168H"})
    void settingForms(String setting, String expected) {
        assertEquals(Optional.of(Duration.parse(expected)), ImportRule.parse(setting).after());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "thirty days", "-1d", "on"})
    void badSettingsNameTheVariable(String setting) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImportRule.parse(setting));
        assertTrue(e.getMessage().startsWith("RAMEN_IMPORT_AFTER"), e.getMessage());
    }
}
