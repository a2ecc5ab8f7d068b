package io.segmentramen.segment;

import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC §2 request shapes and the whole-request refusals of §3/§7. */
class EventParserTest {

    private final EventParser parser = new EventParser(4000);

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private ParsedRequest parse(String body) throws RequestError {
        return parser.parse(utf8(body));
    }

    private RequestError refused(EventParser parser, byte[] body) {
        return assertThrows(RequestError.class, () -> parser.parse(body));
    }

    private RequestError refused(String body) {
        return refused(parser, utf8(body));
    }

    @Test
    void singleEvent() throws RequestError {
        String body = "{\"type\":\"track\", \"event\":\"E\",\n \"userId\":\"ü\"}";
        ParsedRequest request = parse(body);
        assertEquals(ParsedRequest.Shape.SINGLE, request.shape());
        assertTrue(request.isSingle());
        assertEquals(1, request.events().size());
        SegmentEvent event = request.events().get(0);
        assertEquals(0, event.index());
        assertEquals(Fixtures.parse(body), event.json());
        assertEquals(utf8(body).length, event.rawBytes(), "bytes, not characters");
        assertArrayEquals(utf8(body), EventParser.signedBytes(utf8(body)), "a single event is signed over the whole raw body");
    }

    @Test
    void arrayOfEvents() throws RequestError {
        ParsedRequest request = parse("[{\"type\":\"track\",\"event\":\"A\",\"userId\":\"u\"},{\"type\":\"page\",\"userId\":\"u\"}]");
        assertEquals(ParsedRequest.Shape.ARRAY, request.shape());
        assertEquals(2, request.events().size());
        assertEquals(0, request.events().get(0).index());
        assertEquals(1, request.events().get(1).index());
        assertEquals("page", request.events().get(1).type());
    }

    @Test
    void rawBytesPerArrayElementAndSignedBytesAreTheRawFirstElement() throws RequestError {
        String first = "{ \"type\" : \"track\",\n\t\"event\":\"Ünïcode €\" , \"userId\":\"u\"  }";
        String second = "{\"type\":\"page\",\"userId\":\"u\"}";
        String body = "[ \n  " + first + " ,\r\n   " + second + "\n]\n";
        ParsedRequest request = parse(body);
        assertEquals(utf8(first).length, request.events().get(0).rawBytes());
        assertEquals(utf8(second).length, request.events().get(1).rawBytes());
        assertArrayEquals(utf8(first), EventParser.signedBytes(utf8(body)),
                "Segment signs the raw bytes of the first element, inner whitespace and all: never re-serialised");
    }

    @Test
    void batchDocumentMergesTopLevelContextAndIntegrationsWithEventKeysWinning() throws RequestError {
        String body = "{\"batch\":["
                + "{\"type\":\"track\",\"event\":\"A\",\"userId\":\"u\",\"context\":{\"ip\":\"2.2.2.2\"},\"integrations\":{\"Ramen\":false}},"
                + "{\"type\":\"page\",\"userId\":\"u\"}"
                + "],\"context\":{\"ip\":\"1.1.1.1\",\"library\":{\"name\":\"analytics-node\"}},"
                + "\"integrations\":{\"All\":false,\"Ramen\":{\"environment\":\"prod\"}},\"sentAt\":\"2024-05-01T12:00:00Z\"}";
        ParsedRequest request = parse(body);
        assertEquals(ParsedRequest.Shape.BATCH, request.shape());
        assertEquals(2, request.events().size());
        SegmentEvent first = request.events().get(0);
        assertEquals(Fixtures.parse("{\"ip\":\"2.2.2.2\",\"library\":{\"name\":\"analytics-node\"}}"), first.field("context"));
        assertEquals(Fixtures.parse("{\"All\":false,\"Ramen\":false}"), first.field("integrations"));
        SegmentEvent second = request.events().get(1);
        assertEquals(Fixtures.parse("{\"ip\":\"1.1.1.1\",\"library\":{\"name\":\"analytics-node\"}}"), second.field("context"));
        assertEquals(Fixtures.parse("{\"All\":false,\"Ramen\":{\"environment\":\"prod\"}}"), second.field("integrations"));
        assertEquals("prod", second.ramenOptions().path("environment").asText());
        assertArrayEquals(utf8(body), EventParser.signedBytes(utf8(body)));
    }

    @Test
    void batchMergeGivesEachEventItsOwnCopy() throws RequestError {
        ParsedRequest request = parse("{\"batch\":[{\"type\":\"page\",\"userId\":\"a\"},{\"type\":\"page\",\"userId\":\"b\"}],"
                + "\"context\":{\"ip\":\"1.1.1.1\"}}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.events().get(0).field("context")).put("ip", "changed");
        assertEquals("1.1.1.1", request.events().get(1).field("context").path("ip").asText());
    }

    @Test
    void batchElementsKeepTheirRawSize() throws RequestError {
        String element = "{\"type\":\"page\",  \"userId\":\"u\"}";
        ParsedRequest request = parse("{\"batch\": [" + element + "]}");
        assertEquals(utf8(element).length, request.events().get(0).rawBytes());
    }

    @Test
    void nonObjectElementsBecomeEventsForTheValidatorToReject() throws RequestError {
        ParsedRequest request = parse("[1, {\"type\":\"page\",\"userId\":\"u\"}, \"x\"]");
        assertEquals(3, request.events().size());
        assertEquals(false, request.events().get(0).isObject());
        assertEquals(true, request.events().get(1).isObject());
    }

    @Test
    void tooManyEventsIs413() throws RequestError {
        EventParser small = new EventParser(2);
        small.parse(utf8("[{},{}]"));
        RequestError array = refused(small, utf8("[{},{},{}]"));
        assertEquals(413, array.status());
        assertEquals("too_many_events", array.code());
        RequestError batch = refused(small, utf8("{\"batch\":[{},{},{}]}"));
        assertEquals(413, batch.status());
        assertEquals("too_many_events", batch.code());
    }

    @Test
    void emptyBody() {
        assertEquals("empty_body", refused(parser, new byte[0]).code());
        assertEquals(400, refused(parser, null).status());
    }

    @Test
    void noEvents() {
        assertEquals("no_events", refused("[]").code());
        assertEquals("no_events", refused("{\"batch\":[]}").code());
    }

    @Test
    void batchMustBeAnArray() {
        RequestError error = refused("{\"batch\":{\"type\":\"page\"}}");
        assertEquals(400, error.status());
        assertEquals("invalid_batch", error.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"event\"", "true", "null", "  3.5 "})
    void scalarBodyIsNotEvents(String body) {
        RequestError error = refused(body);
        assertEquals(400, error.status());
        assertEquals("not_events", error.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":", "{type: \"page\"}", "[{\"a\":1},]", "{'a':1}", "{\"a\":1}}", "{\"a\":\"\\x\"}"})
    void notJson(String body) {
        RequestError error = refused(body);
        assertEquals(400, error.status());
        assertEquals("invalid_json", error.code());
    }

    @Test
    void whitespaceOnlyBodyIsRefused() {
        assertEquals(400, refused("  \n ").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"page\",\"userId\":\"u\"} x", "{\"type\":\"page\",\"userId\":\"u\"}{\"type\":\"page\"}",
            "[{\"type\":\"page\"}] []", "{\"type\":\"page\",\"userId\":\"u\"} 1"})
    void trailingGarbage(String body) {
        RequestError error = refused(body);
        assertEquals(400, error.status());
        assertEquals("invalid_json", error.code());
    }

    @Test
    void trailingWhitespaceIsFine() throws RequestError {
        assertEquals(1, parse("{\"type\":\"page\",\"userId\":\"u\"}\n\r\n  ").events().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"page\",\"type\":\"track\",\"userId\":\"u\"}",
            "[{\"type\":\"page\",\"userId\":\"u\",\"userId\":\"v\"}]",
            "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"email\":\"a@b.co\",\"email\":\"c@d.co\"}}",
            "{\"batch\":[],\"batch\":[{\"type\":\"page\"}]}"})
    void duplicateKeysAreRejected(String body) {
        RequestError error = refused(body);
        assertEquals(400, error.status());
        assertEquals("invalid_json", error.code());
    }

    @Test
    void nestingDeeperThanSixtyFourIsRejected() throws RequestError {
        // 64 levels in all (the event object plus 63 nested) is allowed ...
        parse("{\"type\":\"page\",\"userId\":\"u\",\"properties\":" + nested(63) + "}");
        // ... one level more is not, whatever the shape
        for (String body : new String[] {
                "{\"type\":\"page\",\"userId\":\"u\",\"properties\":" + nested(64) + "}",
                "[" + nested(64) + "]",
                "{\"batch\":[{\"type\":\"page\",\"properties\":" + nested(64) + "}]}"}) {
            RequestError error = refused(body);
            assertEquals(400, error.status());
            assertTrue(error.code().equals("json_limits_exceeded"), error.code() + ": " + error.getMessage());
        }
    }

    @Test
    void hugeNumbersAreRejected() {
        RequestError error = refused("{\"type\":\"page\",\"userId\":\"u\",\"properties\":{\"n\":" + "9".repeat(1000) + "}}");
        assertEquals(400, error.status());
        assertEquals("json_limits_exceeded", error.code());
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] start = utf8("{\"type\":\"page\",\"userId\":\"");
        byte[] end = utf8("\"}");
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xE2, (byte) 0x82})) {
            byte[] body = new byte[start.length + bad.length + end.length];
            System.arraycopy(start, 0, body, 0, start.length);
            System.arraycopy(bad, 0, body, start.length, bad.length);
            System.arraycopy(end, 0, body, start.length + bad.length, end.length);
            RequestError error = refused(parser, body);
            assertEquals(400, error.status());
            assertEquals("invalid_json", error.code());
        }
    }

    @Test
    void errorMessagesDoNotEchoTheBody() {
        RequestError error = refused("{\"type\":\"identify\",\"traits\":{\"email\":\"secret.person@example.com\" ");
        assertTrue(!error.getMessage().contains("secret.person"), error.getMessage());
    }

    @Test
    void signedBytesWithoutAFullParse() {
        String first = "{ \"type\" : \"track\", \"event\":\"A\" }";
        assertArrayEquals(utf8(first), EventParser.signedBytes(utf8("  [ " + first + " , {\"type\":\"page\"} ]")),
                "an array is signed over its raw first element");
        assertArrayEquals(utf8("{\"type\":\"page\"}"), EventParser.signedBytes(utf8("{\"type\":\"page\"}")));
        assertArrayEquals(utf8("[{\"type\":"), EventParser.signedBytes(utf8("[{\"type\":")), "malformed: the whole body");
        assertArrayEquals(utf8("[]"), EventParser.signedBytes(utf8("[]")));
    }

    /** {@code levels} nested objects: {"a":{"a":...{}}}. */
    private static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }
}
