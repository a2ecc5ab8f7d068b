package io.segmentramen.segment;

import io.segmentramen.outcome.Rejection;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request shapes (docs/CONTRACT.md §1) and the whole-request refusals ({@code refused} in docs/CONTRACT.md §2). */
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
        SegmentEvent event = request.events().get(0).decode();
        assertEquals(0, event.index());
        assertEquals(Fixtures.parse(body), event.json());
        assertEquals(utf8(body).length, event.rawBytes(), "bytes, not characters");
    }

    @Test
    void arrayOfEvents() throws RequestError {
        ParsedRequest request = parse("[{\"type\":\"track\",\"event\":\"A\",\"userId\":\"u\"},{\"type\":\"page\",\"userId\":\"u\"}]");
        assertEquals(ParsedRequest.Shape.ARRAY, request.shape());
        assertEquals(2, request.events().size());
        assertEquals(0, request.events().get(0).index());
        assertEquals(1, request.events().get(1).index());
        assertEquals("page", request.events().get(1).decode().type());
    }

    @Test
    void rawBytesPerArrayElement() throws RequestError {
        String first = "{ \"type\" : \"track\",\n\t\"event\":\"Ünïcode €\" , \"userId\":\"u\"  }";
        String second = "{\"type\":\"page\",\"userId\":\"u\"}";
        String body = "[ \n  " + first + " ,\r\n   " + second + "\n]\n";
        ParsedRequest request = parse(body);
        assertEquals(utf8(first).length, request.events().get(0).rawBytes());
        assertEquals(utf8(second).length, request.events().get(1).rawBytes());
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
        SegmentEvent first = request.events().get(0).decode();
        assertEquals(Fixtures.parse("{\"ip\":\"2.2.2.2\",\"library\":{\"name\":\"analytics-node\"}}"), first.field("context"));
        assertEquals(Fixtures.parse("{\"All\":false,\"Ramen\":false}"), first.field("integrations"));
        SegmentEvent second = request.events().get(1).decode();
        assertEquals(Fixtures.parse("{\"ip\":\"1.1.1.1\",\"library\":{\"name\":\"analytics-node\"}}"), second.field("context"));
        assertEquals(Fixtures.parse("{\"All\":false,\"Ramen\":{\"environment\":\"prod\"}}"), second.field("integrations"));
        assertEquals("prod", second.ramenOptions().path("environment").asText());
    }

    @Test
    void batchMergeSharesTheEnvelopeInsteadOfCopyingItAndCountsItsBytes() throws RequestError {
        String context = "{\"ip\":\"1.1.1.1\",\"library\":{\"name\":\"analytics-node\"}}";
        String integrations = "{\"All\":true}";
        String own = "{\"type\":\"page\",\"userId\":\"b\",\"context\":{\"ip\":\"2.2.2.2\"}}";
        ParsedRequest request = parse("{\"batch\":[{\"type\":\"page\",\"userId\":\"a\"}," + own + "],"
                + "\"context\":" + context + ",\"integrations\":" + integrations + "}");
        SegmentEvent first = request.events().get(0).decode();
        SegmentEvent second = request.events().get(1).decode();
        assertSame(first.field("context"), request.events().get(0).envelope().context(), "no copy: the envelope's own node");
        assertSame(first.field("integrations"), second.field("integrations"));
        assertSame(first.field("context").get("library"), second.field("context").get("library"),
                "an entry merged under the event's own context is shared, not copied");
        assertEquals("2.2.2.2", second.field("context").path("ip").asText(), "the event's own key wins");
        int envelopeBytes = utf8(context).length + utf8(integrations).length;
        assertEquals(utf8("{\"type\":\"page\",\"userId\":\"a\"}").length + envelopeBytes, first.rawBytes(),
                "the envelope counts toward each event's 32 KB");
        assertEquals(utf8(own).length + envelopeBytes, request.events().get(1).rawBytes());
    }

    @Test
    void envelopeOverTheEventLimitMakesEveryEventTooLargeWithoutBeingDecoded() throws RequestError {
        String body = "{\"batch\":[{\"type\":\"page\",\"userId\":\"a\"},{}],\"context\":{\"blob\":\"" + "x".repeat(40_000) + "\"}}";
        ParsedRequest request = new EventParser(4000, 32_768).parse(utf8(body));
        for (RawEvent raw : request.events()) {
            SegmentEvent event = raw.decode();
            assertTrue(event.rawBytes() > 32_768);
            assertTrue(event.json() == null || event.json().equals(Fixtures.parse("{\"type\":\"page\"}")), "only the ids are read");
            assertEquals("event_too_large", ((Verdict.Stop) new EventValidator(32_768).validate(event)).rejection().code());
        }
    }

    @Test
    void brokenEnvelopeRejectsEachEventNotTheBody() throws RequestError {
        ParsedRequest request = parse("{\"batch\":[{\"type\":\"page\",\"userId\":\"a\"},{}],\"context\":{\"a\":1,\"a\":2}}");
        assertEquals(2, request.events().size());
        for (RawEvent raw : request.events()) {
            assertEquals("invalid_json", raw.decode().unreadable().code());
            assertTrue(raw.decode().unreadable().message().contains("context"));
        }
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
        assertEquals(false, request.events().get(0).decode().isObject());
        assertEquals(true, request.events().get(1).decode().isObject());
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
    @ValueSource(strings = {"[{type: \"page\"}]", "{\"a\":\"\\x\"}", "[{\"a\":tru}]", "[{\"a\" 1}]", "[[1,}]", "{\"batch\":[{\"a\":NaN}]}"})
    void malformedElementIsRejectedAloneInPassTwo(String body) throws RequestError {
        Rejection problem = element(body);
        assertEquals("invalid_json", problem.code(), problem.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":", "{type: \"page\"}", "[{\"a\":1},]", "{'a':1}", "{\"a\":1}}", "[{\"a\":1} {\"b\":2}]", "[\"unterminated]",
            "<event/>", "[1,,2]", "{\"batch\":[{}]", "{\"batch\" []}"})
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
            "{\"batch\":[{\"type\":\"page\",\"type\":\"page\"}]}"})
    void duplicateKeysRejectTheElement(String body) throws RequestError {
        assertEquals("invalid_json", element(body).code());
        assertTrue(element(body).message().contains("field name twice"), element(body).message());
    }

    @Test
    void duplicateEnvelopeFieldRefusesTheBody() {
        assertEquals("invalid_json", refused("{\"batch\":[],\"batch\":[{\"type\":\"page\"}]}").code());
        assertEquals("invalid_json", refused("{\"batch\":[{}],\"context\":{},\"context\":{}}").code());
    }

    @Test
    void nestingDeeperThanSixtyFourRejectsTheElement() throws RequestError {
        // 64 levels in all (the event object plus 63 nested) is allowed, in every shape ...
        for (String body : new String[] {
                "{\"type\":\"page\",\"userId\":\"u\",\"properties\":" + nested(63) + "}",
                "[{\"type\":\"page\",\"properties\":" + nested(63) + "}]",
                "{\"batch\":[{\"type\":\"page\",\"properties\":" + nested(63) + "}]}"}) {
            assertEquals(null, parse(body).events().get(0).decode().unreadable(), body);
        }
        // ... one level more is not, and only that element is rejected
        for (String body : new String[] {
                "{\"type\":\"page\",\"userId\":\"u\",\"properties\":" + nested(64) + "}",
                "[" + nested(65) + "]",
                "{\"batch\":[{\"type\":\"page\",\"properties\":" + nested(64) + "}]}"}) {
            Rejection problem = element(body);
            assertEquals("json_limits_exceeded", problem.code(), problem.message());
            assertTrue(problem.message().contains("64"), problem.message());
        }
    }

    @Test
    void goodElementBesideOneNestedSeventyDeepIsUntouched() throws RequestError {
        String good = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\"}";
        ParsedRequest request = parse("[" + good + "," + "[".repeat(70) + "]".repeat(70) + "]");
        assertEquals(2, request.events().size());
        assertEquals(Fixtures.parse(good), request.events().get(0).decode().json());
        assertEquals("json_limits_exceeded", request.events().get(1).decode().unreadable().code());
    }

    @Test
    void deepNestingIsScannedWithoutRecursion() throws RequestError {
        String deep = "[".repeat(500_000) + "]".repeat(500_000);
        ParsedRequest request = new EventParser(4000, 2_000_000).parse(utf8("[" + deep + ",{\"type\":\"page\",\"userId\":\"u\"}]"));
        assertEquals("json_limits_exceeded", request.events().get(0).decode().unreadable().code());
        assertEquals("page", request.events().get(1).decode().type());
    }

    @Test
    void hugeNumbersRejectTheElement() throws RequestError {
        Rejection problem = element("{\"type\":\"page\",\"userId\":\"u\",\"properties\":{\"n\":" + "9".repeat(101) + "}}");
        assertEquals("json_limits_exceeded", problem.code());
        assertEquals(null, element("{\"type\":\"page\",\"userId\":\"u\",\"properties\":{\"n\":" + "9".repeat(100) + "}}"));
    }

    @Test
    void elementOverTheLimitIsNotDecoded() throws RequestError {
        String big = "{\"type\":\"page\",\"userId\":\"u\",\"p\":\"" + "x".repeat(33_000) + "\",\"p\":1}";
        SegmentEvent event = parse("[" + big + "]").events().get(0).decode();
        assertEquals(Fixtures.parse("{\"type\":\"page\"}"), event.json(), "only the top-level type and messageId are read, by streaming");
        assertEquals(null, event.unreadable(), "too large is the validator's verdict, before anything else");
        assertEquals(utf8(big).length, event.rawBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udfff", "a\\ud83dz", "\\ude00\\ud83d"})
    void unpairedSurrogatesBecomeReplacementCharactersOnce(String escaped) throws RequestError {
        SegmentEvent event = parse("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"name\":\"" + escaped + "\"}}")
                .events().get(0).decode();
        String name = event.json().path("traits").path("name").asText();
        assertTrue(name.indexOf('\uFFFD') >= 0, name);
        assertTrue(name.chars().noneMatch(c -> Character.isSurrogate((char) c)), name);
        assertTrue(event.textRepaired("traits.name"), event.repairedText().toString());
        assertEquals("invalid_json", element("[{\"type\":\"page\",\"k\\ud800\":1}]").code(),
                "Jackson cannot hold an unpaired surrogate in a field name: that element alone is rejected");
        SegmentEvent paired = parse("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"name\":\"\\ud83d\\ude00\"}}").events().get(0).decode();
        assertEquals("\uD83D\uDE00", paired.json().path("traits").path("name").asText(), "a proper pair is kept");
        assertTrue(paired.repairedText().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"FEFF", "FFFE", "0000FEFF", "FFFE0000", "007B", "7B00", "0000007B"})
    void utf16And32BodiesAre415(String prefix) {
        byte[] start = java.util.HexFormat.of().parseHex(prefix);
        byte[] body = new byte[start.length + 20];
        System.arraycopy(start, 0, body, 0, start.length);
        RequestError error = refused(parser, body);
        assertEquals(415, error.status());
    }

    @Test
    void utf16EncodedEventIs415NotALimitBypass() {
        String event = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"p\":\"" + "x".repeat(20_000) + "\"}";
        assertEquals(415, refused(parser, event.getBytes(StandardCharsets.UTF_16LE)).status());
        assertEquals(415, refused(parser, event.getBytes(StandardCharsets.UTF_16)).status());
        assertEquals(415, refused(parser, ("[" + event + "]").getBytes(java.nio.charset.Charset.forName("UTF-32BE"))).status());
    }

    @Test
    void invalidUtf8RejectsTheElement() throws RequestError {
        byte[] start = utf8("{\"type\":\"page\",\"userId\":\"");
        byte[] end = utf8("\"}");
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xE2, (byte) 0x82})) {
            byte[] body = new byte[start.length + bad.length + end.length];
            System.arraycopy(start, 0, body, 0, start.length);
            System.arraycopy(bad, 0, body, start.length, bad.length);
            System.arraycopy(end, 0, body, start.length + bad.length, end.length);
            ParsedRequest request = parser.parse(body);
            assertEquals("invalid_json", request.events().get(0).decode().unreadable().code());
        }
        for (byte[] overlongOrSurrogate : List.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})) {
            byte[] body = new byte[start.length + overlongOrSurrogate.length + end.length];
            System.arraycopy(start, 0, body, 0, start.length);
            System.arraycopy(overlongOrSurrogate, 0, body, start.length, overlongOrSurrogate.length);
            System.arraycopy(end, 0, body, start.length + overlongOrSurrogate.length, end.length);
            assertEquals("invalid_json", parser.parse(body).events().get(0).decode().unreadable().code(), "strict UTF-8");
        }
    }

    @Test
    void elementMessagesDoNotEchoTheBody() throws RequestError {
        Rejection problem = element("{\"type\":\"identify\",\"traits\":{\"email\":secret.person}}");
        assertTrue(!problem.message().contains("secret"), problem.message());
    }

    private Rejection element(String body) throws RequestError {
        return parse(body).events().get(0).decode().unreadable();
    }

    @Test
    void errorMessagesDoNotEchoTheBody() {
        RequestError error = refused("{\"type\":\"identify\",\"traits\":{\"email\":\"secret.person@example.com\" ");
        assertTrue(!error.getMessage().contains("secret.person"), error.getMessage());
    }

    /** {@code levels} nested objects: {"a":{"a":...{}}}. */
    private static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }
}
