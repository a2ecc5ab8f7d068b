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

/** SPEC §4: ISO-8601 strings, epoch seconds or epoch milliseconds (≥ 31 557 600 000) → integer epoch seconds. */
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
}
