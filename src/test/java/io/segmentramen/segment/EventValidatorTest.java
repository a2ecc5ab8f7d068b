package io.segmentramen.segment;

import io.segmentramen.outcome.Status;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event rules of docs/CONTRACT.md §2, one rule at a time (email syntax and Secure Mode are judged after mapping). */
class EventValidatorTest {

    private static final int LIMIT = 32 * 1024;
    private final EventValidator validator = new EventValidator(LIMIT);

    private Verdict verdict(String json) {
        return validator.validate(new SegmentEvent(0, Fixtures.parse(json), json.length()));
    }

    private void assertRejected(String reason, String json) {
        Verdict verdict = verdict(json);
        Verdict.Stop reject = assertInstanceOf(Verdict.Stop.class, verdict, json);
        assertEquals(reason, reject.rejection().code(), json);
        assertEquals(Status.REJECTED, reject.rejection().reason().status(), json);
        assertTrue(reject.rejection().message() != null && !reject.rejection().message().isBlank(), "a human sentence");
    }

    private void assertSkipped(String reason, String json) {
        Verdict.Stop skip = assertInstanceOf(Verdict.Stop.class, verdict(json), json);
        assertEquals(reason, skip.rejection().code(), json);
        assertEquals(Status.SKIPPED, skip.rejection().reason().status(), json);
        assertTrue(skip.rejection().message() != null && !skip.rejection().message().isBlank(), "a human sentence");
    }

    private void assertAccepted(String json) {
        assertEquals(Verdict.ACCEPT, verdict(json), json);
    }

    @Test
    void acceptsEachSendableType() {
        assertAccepted("{\"type\":\"identify\",\"userId\":\"u\"}");
        assertAccepted("{\"type\":\"group\",\"groupId\":\"g\",\"anonymousId\":\"a\"}");
        assertAccepted("{\"type\":\"track\",\"event\":\"E\",\"anonymousId\":\"a\"}");
        assertAccepted("{\"type\":\"page\",\"userId\":\"u\"}");
        assertAccepted("{\"type\":\"page\",\"userId\":7,\"messageId\":12}");
    }

    @Test
    void nonObjectEvent() {
        assertRejected("not_an_object", "42");
        assertRejected("not_an_object", "[{\"type\":\"track\"}]");
        assertRejected("not_an_object", "\"identify\"");
    }

    @Test
    void eventTooLargeByRawBytes() {
        String json = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\"}";
        assertEquals(Verdict.ACCEPT, validator.validate(new SegmentEvent(0, Fixtures.parse(json), LIMIT)), "exactly 32 KB is allowed");
        Verdict verdict = validator.validate(new SegmentEvent(0, Fixtures.parse(json), LIMIT + 1));
        assertEquals("event_too_large", assertInstanceOf(Verdict.Stop.class, verdict).rejection().code());
    }

    @Test
    void missingType() {
        assertRejected("missing_type", "{\"userId\":\"u\"}");
        assertRejected("missing_type", "{\"type\":null,\"userId\":\"u\"}");
        assertRejected("missing_type", "{\"type\":\"\",\"userId\":\"u\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"purchase\"", "\"Identify\"", "\"TRACK\"", "1", "true", "{\"t\":1}"})
    void unknownType(String type) {
        assertRejected("unknown_type", "{\"type\":" + type + ",\"userId\":\"u\"}");
    }

    @Test
    void missingIdentity() {
        assertRejected("missing_identity", "{\"type\":\"track\",\"event\":\"E\"}");
        assertRejected("missing_identity", "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"\",\"anonymousId\":\"\"}");
        assertRejected("missing_identity", "{\"type\":\"page\",\"userId\":null,\"anonymousId\":null}");
        assertRejected("missing_identity", "{\"type\":\"identify\"}");
        assertRejected("missing_identity", "{\"type\":\"screen\"}");
    }

    @Test
    void trackNeedsANonEmptyEventName() {
        assertRejected("missing_event_name", "{\"type\":\"track\",\"userId\":\"u\"}");
        assertRejected("missing_event_name", "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"\"}");
        assertRejected("missing_event_name", "{\"type\":\"track\",\"userId\":\"u\",\"event\":null}");
    }

    @Test
    void groupNeedsANonEmptyGroupId() {
        assertRejected("missing_group_id", "{\"type\":\"group\",\"userId\":\"u\"}");
        assertRejected("missing_group_id", "{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"\"}");
        assertAccepted("{\"type\":\"group\",\"userId\":\"u\",\"groupId\":0}");
    }

    @Test
    void messageIdAtMostOneHundredCharacters() {
        assertAccepted("{\"type\":\"page\",\"userId\":\"u\",\"messageId\":\"" + "m".repeat(100) + "\"}");
        assertRejected("message_id_too_long", "{\"type\":\"page\",\"userId\":\"u\",\"messageId\":\"" + "m".repeat(101) + "\"}");
        // characters, not bytes: 100 two-byte characters are fine
        assertAccepted("{\"type\":\"page\",\"userId\":\"u\",\"messageId\":\"" + "é".repeat(100) + "\"}");
    }

    @Test
    void fieldsOfTheWrongJsonType() {
        assertRejected("invalid_field", "{\"type\":\"page\",\"userId\":{\"id\":1}}");
        assertRejected("invalid_field", "{\"type\":\"page\",\"userId\":1.5}");
        assertRejected("invalid_field", "{\"type\":\"page\",\"userId\":\"u\",\"anonymousId\":true}");
        assertRejected("invalid_field", "{\"type\":\"page\",\"userId\":\"u\",\"messageId\":[\"m\"]}");
        assertRejected("invalid_field", "{\"type\":\"group\",\"userId\":\"u\",\"groupId\":{\"id\":\"g\"}}");
        assertRejected("invalid_field", "{\"type\":\"track\",\"userId\":\"u\",\"event\":42}");
        assertRejected("invalid_field", "{\"type\":\"page\",\"userId\":\"u\",\"name\":[\"Home\"]}");
        assertRejected("invalid_field", "{\"type\":\"page\",\"userId\":\"u\",\"timestamp\":1714564800}");
        assertRejected("invalid_field", "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":[]}");
        assertRejected("invalid_field", "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"properties\":\"x\"}");
        assertRejected("invalid_field", "{\"type\":\"page\",\"userId\":\"u\",\"context\":1}");
        assertRejected("invalid_field", "{\"type\":\"page\",\"userId\":\"u\",\"integrations\":true}");
        Verdict.Stop reject = assertInstanceOf(Verdict.Stop.class, verdict("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":\"ada@example.com\"}"));
        assertEquals("traits must be an object", reject.rejection().message(), "names the field, does not echo its value");
    }

    @Test
    void nullOptionalFieldsAreFine() {
        assertAccepted("{\"type\":\"page\",\"userId\":\"u\",\"messageId\":null,\"traits\":null,\"context\":null,\"timestamp\":null}");
    }

    @Test
    void identifyWithoutUserIdIsSkipped() {
        assertSkipped("identify_without_user_id", "{\"type\":\"identify\",\"anonymousId\":\"a\"}");
        assertSkipped("identify_without_user_id", "{\"type\":\"identify\",\"userId\":\"\",\"anonymousId\":\"a\"}");
    }

    @Test
    void screenAndAliasAreSkipped() {
        assertSkipped("unsupported_type", "{\"type\":\"screen\",\"userId\":\"u\"}");
        assertSkipped("unsupported_type", "{\"type\":\"alias\",\"userId\":\"u\",\"previousId\":\"a\"}");
    }

    @Test
    void deleteIsSkippedNotRejected() {
        assertSkipped("delete_not_supported", "{\"type\":\"delete\",\"userId\":\"u\"}");
        assertSkipped("delete_not_supported", "{\"type\":\"delete\"}");
    }

    @Test
    void integrationsRamenFalseSkips() {
        assertSkipped("integration_disabled", "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"integrations\":{\"Ramen\":false}}");
        assertSkipped("integration_disabled", "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"integrations\":{\"All\":true,\"Ramen\":false}}");
    }

    @Test
    void onlyAnExplicitRamenFalseSkips() {
        assertAccepted("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"integrations\":{\"All\":false}}");
        assertAccepted("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"integrations\":{\"All\":false,\"Webhooks\":true}}");
        assertAccepted("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"integrations\":{\"Ramen\":true}}");
        assertAccepted("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"integrations\":{\"Ramen\":\"false\"}}");
        assertAccepted("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"integrations\":{\"Ramen\":{\"environment\":\"x\"}}}");
    }
}
