package io.segmentramen.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.segmentramen.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Times (docs/CONTRACT.md §3, trait conversion): ISO-8601 strings, epoch seconds or epoch
 * milliseconds (≥ 31 557 600 000) → integer epoch seconds.
 */
class TimesTest {

    private static OptionalLong seconds(JsonNode node) {
        return Times.toEpochSeconds(node);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "2024-05-01T12:00:00Z, 1714564800",
            "2024-05-01T12:00:00.999Z, 1714564800",
            "2024-05-01T14:00:00+02:00, 1714564800",
            "2024-05-01T07:00:00-05:00, 1714564800",
            "2024-05-01T12:00:00, 1714564800",
            "2024-05-01, 1714521600",
            "' 2024-05-01T12:00:00Z ', 1714564800",
            "1714564800, 1714564800",
            "1714564800123, 1714564800",
            "1714564800.75, 1714564800",
    })
    void isoAndNumericStrings(String text, long expected) {
        assertEquals(OptionalLong.of(expected), seconds(TextNode.valueOf(text)));
    }

    @Test
    void epochSecondsNumbers() {
        assertEquals(OptionalLong.of(1714564800), seconds(LongNode.valueOf(1714564800L)));
        assertEquals(OptionalLong.of(0), seconds(LongNode.valueOf(0)));
        assertEquals(OptionalLong.of(1714564800), seconds(DoubleNode.valueOf(1714564800.9)), "fractions are floored");
    }

    @Test
    void epochMillisecondsNumbers() {
        assertEquals(OptionalLong.of(1714564800), seconds(LongNode.valueOf(1714564800123L)));
        assertEquals(OptionalLong.of(1714564800), seconds(DoubleNode.valueOf(1714564800999.0)));
    }

    @Test
    void millisecondsThresholdIsInclusive() {
        assertEquals(OptionalLong.of(31_557_599_999L), seconds(LongNode.valueOf(31_557_599_999L)), "just below: seconds");
        assertEquals(OptionalLong.of(31_557_600L), seconds(LongNode.valueOf(31_557_600_000L)), "at the threshold: milliseconds");
        assertEquals(OptionalLong.of(31_557_600L), seconds(TextNode.valueOf("31557600000")), "numeric strings follow the same rule");
    }

    @Test
    void negativeEpochsBeforeNineteenSeventy() {
        assertEquals(OptionalLong.of(-86400), seconds(LongNode.valueOf(-86400)));
        assertEquals(OptionalLong.of(-86400), seconds(TextNode.valueOf("1969-12-31T00:00:00Z")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "next tuesday", "2024-13-01", "2024-05-01T25:00:00Z", "12:00", "1e10", "0x10", "2024/05/01"})
    void unparseableTextIsEmpty(String text) {
        assertEquals(OptionalLong.empty(), seconds(TextNode.valueOf(text)));
    }

    @Test
    void nonTimesAreEmpty() {
        assertEquals(OptionalLong.empty(), seconds(null));
        assertEquals(OptionalLong.empty(), seconds(NullNode.instance));
        assertEquals(OptionalLong.empty(), seconds(BooleanNode.TRUE));
        assertEquals(OptionalLong.empty(), seconds(Json.object().put("seconds", 1)));
        assertEquals(OptionalLong.empty(), seconds(Json.MAPPER.createArrayNode().add(1714564800)));
        assertEquals(OptionalLong.empty(), seconds(DoubleNode.valueOf(1e300)), "absurdly large numbers are not times");
    }

    /**
     * The fast path for the common ISO-8601 form must answer exactly what java.time's general parsers
     * answer, for every text it accepts: generated timestamps around every field's edges (leap years,
     * month lengths, offsets, fractions), with single-character mutations, compared with the general
     * chain. It must also accept the common forms, or this would prove nothing.
     */
    @Test
    void fastPathAgreesWithJavaTimeOnGeneratedText() {
        java.util.Random random = new java.util.Random(Long.getLong("properties.seed", 20261130L));
        int accepted = 0;
        int total = 50_000;
        for (int i = 0; i < total; i++) {
            String text = generatedTimestamp(random);
            long fast = Times.commonIso(text);
            if (fast == Times.NOT_COMMON) {
                continue;
            }
            accepted++;
            assertEquals(javaTime(text), OptionalLong.of(fast), () -> "fast path disagrees with java.time on " + text);
        }
        assertTrue(accepted > total / 3, "the fast path accepted only " + accepted + " of " + total + " generated timestamps");
    }

    private static String generatedTimestamp(java.util.Random random) {
        int year = random.nextInt(10) == 0 ? random.nextInt(10_000) : 1896 + random.nextInt(208);
        String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d", year, random.nextInt(14), random.nextInt(33),
                random.nextInt(26), random.nextInt(62), random.nextInt(62));
        switch (random.nextInt(4)) {
            case 0 -> text += "." + "123456789012".substring(0, random.nextInt(12));
            case 1 -> text += "." + String.format("%03d", random.nextInt(1000));
            default -> {
            }
        }
        switch (random.nextInt(6)) {
            case 0, 1 -> text += "Z";
            case 2 -> text += String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-", random.nextInt(20), random.nextInt(62));
            case 3 -> text += random.nextBoolean() ? "z" : "+0200";
            default -> {
            }
        }
        if (random.nextInt(5) == 0) { // one character replaced by another from the same alphabet
            char[] chars = text.toCharArray();
            chars[random.nextInt(chars.length)] = "0123456789-:T.Z+zt ".charAt(random.nextInt(19));
            text = new String(chars);
        }
        return text;
    }

    /** java.time's general parsers, in the order Times tries them. */
    private static OptionalLong javaTime(String text) {
        try {
            return OptionalLong.of(java.time.OffsetDateTime.parse(text).toEpochSecond());
        } catch (java.time.format.DateTimeParseException ignored) {
            // next form
        }
        try {
            return OptionalLong.of(java.time.Instant.parse(text).getEpochSecond());
        } catch (java.time.format.DateTimeParseException ignored) {
            // next form
        }
        try {
            return OptionalLong.of(java.time.LocalDateTime.parse(text).toEpochSecond(java.time.ZoneOffset.UTC));
        } catch (java.time.format.DateTimeParseException ignored) {
            // next form
        }
        try {
            return OptionalLong.of(java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond());
        } catch (java.time.format.DateTimeParseException ignored) {
            return OptionalLong.empty();
        }
    }
}
