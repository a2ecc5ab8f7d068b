package io.segmentramen.json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Json#text}: the text of an id-like value, or null when the value is not a string or a number. */
class JsonTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "NULL", value = {
            "'\"u-42\"', u-42",
            "'\"\"', ''",
            "42, 42",
            "-7, -7",
            "12345678901234567890123, 12345678901234567890123",
            "1.50, 1.5",
            "1e3, 1000",
            "true, NULL",
            "false, NULL",
            "null, NULL",
            "'{\"id\": 1}', NULL",
            "'[1]', NULL",
    })
    void textOfScalarsOnly(String json, String expected) throws Exception {
        JsonNode node = Json.MAPPER.readTree(json);
        assertEquals(expected, Json.text(node));
    }
}
