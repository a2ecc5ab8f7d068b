package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.segment.SegmentEvent;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Edge cases of docs/CONTRACT.md §3 that the golden files do not pin down. */
class RamenMapperTest {

    private final RamenMapper mapper = new RamenMapper("org-1", ImportRule.parse("off"), Clock.systemUTC());

    static SegmentEvent event(String json) {
        return new SegmentEvent(0, Fixtures.parse(json), json.length());
    }

    private MappingResult.Mapped mapped(String json, boolean nameAsGiven) {
        return assertInstanceOf(MappingResult.Mapped.class, mapper.map(event(json), nameAsGiven));
    }

    private JsonNode payload(String json) {
        return mapped(json, false).payload();
    }

    /** Decoded as the pipeline decodes it, so that repaired strings are recorded (an unpaired surrogate is sent as U+FFFD). */
    private static SegmentEvent decoded(String json) {
        try {
            return new io.segmentramen.segment.EventParser(4000, 32_768).parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .events().get(0).decode();
        } catch (io.segmentramen.segment.RequestError e) {
            throw new AssertionError(e);
        }
    }

    private static final String FORWARDED_HASH = "\"integrations\":{\"Ramen\":{\"auth_hash\":\"" + "0".repeat(64) + "\",\"timestamp\":1714564790}}";

    /** A group's hash covers only its userId: its traits.name is the company's name. */
    @Test
    void aGroupsRepairedNameIsForwardedNotUnsignable() {
        String json = "{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g\",\"traits\":{\"name\":\"Acme \\udc00 Corp\"}," + FORWARDED_HASH + "}";

        MappingResult.Mapped mapped = assertInstanceOf(MappingResult.Mapped.class, mapper.map(decoded(json), true));

        assertEquals("Acme \uFFFD Corp", mapped.payload().path("company").path("name").textValue());
    }

    /** Past the record of repaired paths, a signed field is never taken for a clean one. */
    @Test
    void aRepairedNameBeyondTheRecordedPathsIsStillUnsignable() {
        StringBuilder traits = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            traits.append("\"a").append(i).append("\":\"\\ud800\",");
        }
        String json = "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{" + traits + "\"name\":\"Ada \\ud800\"}," + FORWARDED_HASH + "}";

        MappingResult.Rejected rejected = assertInstanceOf(MappingResult.Rejected.class, mapper.map(decoded(json), true));

        assertEquals("unsignable_text", rejected.rejection().code());
        assertTrue(rejected.rejection().message().startsWith("too many strings held an unpaired UTF-16 surrogate to tell whether"
                + " userId, traits.email, traits.name did"), rejected.rejection().message());
    }

    /** A key a field reads belongs to that field even when an earlier key gave the value: it is not sent again as a custom trait. */
    @Test
    void aCompanyKeyPassedOverForAnEarlierOneIsNotACustomTrait() {
        MappingResult.Mapped group = mapped("{\"type\":\"group\",\"groupId\":\"g\",\"userId\":\"u\",\"traits\":{\"url\":\"https://u.test\","
                + "\"website\":\"https://w.test\",\"createdAt\":100,\"created\":200,\"plan\":\"pro\"}}", false);
        assertEquals(Fixtures.parse("{\"id\":\"g\",\"url\":\"https://u.test\",\"created_at\":100,\"traits\":{\"plan\":\"pro\"}}"),
                wire(group.payload().path("company")));
        assertEquals(List.of("traits.created ignored: traits.createdAt already gives created_at"), group.warnings());
        JsonNode company = payload("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"company\":{\"id\":\"c\",\"url\":\"https://u.test\","
                + "\"website\":\"https://w.test\",\"plan\":\"pro\"}}}").path("company");
        assertEquals(Fixtures.parse("{\"id\":\"c\",\"url\":\"https://u.test\",\"traits\":{\"plan\":\"pro\"}}"), wire(company));
    }

    /** A forwarded hash covers userId, and for identify traits.email and traits.name: only those make repaired text unsignable. */
    @Test
    void aRepairedUserIdIsUnsignableButARepairedCustomTraitIsNot() {
        String track = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\\ud800\"," + FORWARDED_HASH + "}";
        MappingResult.Rejected rejected = assertInstanceOf(MappingResult.Rejected.class, mapper.map(decoded(track), true));
        assertEquals("unsignable_text", rejected.rejection().code());
        assertTrue(rejected.rejection().message().startsWith("userId held an unpaired UTF-16 surrogate"), rejected.rejection().message());

        String identify = "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"name\":\"Ada\",\"plan\":\"pro \\ud800\"}," + FORWARDED_HASH + "}";
        MappingResult.Mapped mapped = assertInstanceOf(MappingResult.Mapped.class, mapper.map(decoded(identify), true));
        assertEquals("pro \uFFFD", mapped.payload().path("user").path("traits").path("plan").textValue());
    }

    @Test
    void commonFieldsAndNothingElseForAMinimalTrack() {
        JsonNode payload = payload("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"messageId\":\"m\",\"timestamp\":\"2024-05-01T12:00:00Z\"}");
        assertEquals(Fixtures.parse("{\"organization_id\":\"org-1\",\"_partner\":\"segment.com\",\"message_id\":\"m\","
                + "\"sent_at\":1714564800,\"user\":{\"id\":\"u\"},\"event\":{\"name\":\"E\"}}"), wire(payload));
    }

    @Test
    void withoutTimestampThereIsNoSentAt() {
        assertFalse(payload("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\"}").has("sent_at"));
    }

    @Test
    void unreadableTimestampOmitsSentAtWithWarning() {
        MappingResult.Mapped result = mapped("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"timestamp\":\"soon\"}", false);
        assertFalse(result.payload().has("sent_at"));
        assertEquals(List.of("timestamp is not an ISO-8601 time; sent_at omitted"), result.warnings());
    }

    @Test
    void numericUserIdIsADecimalString() {
        assertEquals("12345678901234567890", payload("{\"type\":\"track\",\"event\":\"E\",\"userId\":12345678901234567890}")
                .path("user").path("id").textValue());
    }

    @Test
    void emptyUserIdFallsBackToAnonymousId() {
        JsonNode payload = payload("{\"type\":\"page\",\"userId\":\"\",\"anonymousId\":\"a-1\"}");
        assertFalse(payload.has("user"));
        assertEquals("a-1", payload.path("anonymous_id").asText());
    }

    @Test
    void blankNameFallsBackToFirstAndLastName() {
        JsonNode user = payload("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"name\":\"  \",\"firstName\":\" Ada \",\"lastName\":\"Lovelace\"}}")
                .path("user");
        assertEquals("Ada Lovelace", user.path("name").asText());
    }

    @Test
    void onlyFirstOrOnlyLastName() {
        assertEquals("Ada", payload("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"firstName\":\"Ada\"}}").path("user").path("name").asText());
        assertEquals("Hopper", payload("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"lastName\":\"Hopper\"}}").path("user").path("name").asText());
    }

    @Test
    void noNameAtAllLeavesUserNameAbsent() {
        JsonNode user = payload("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"email\":\"\",\"plan\":\"pro\"}}").path("user");
        assertFalse(user.has("name"));
        assertFalse(user.has("email"), "an empty email is not sent");
        assertEquals("pro", user.path("traits").path("plan").asText());
    }

    @Test
    void nameAsGivenKeepsTheNameExactlyAndAppliesNoFallback() {
        JsonNode exact = mapped("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"name\":\" Ada  L. \",\"email\":\"a@b.co\"}}", true)
                .payload().path("user");
        assertEquals(" Ada  L. ", exact.path("name").asText());
        JsonNode noFallback = mapped("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"firstName\":\"Ada\",\"email\":\"a@b.co\"}}", true)
                .payload().path("user");
        assertFalse(noFallback.has("name"), "no firstName/lastName/email fallback when a sender's hash is forwarded: " + noFallback);
        assertFalse(noFallback.path("traits").has("firstName"), "firstName stays a consumed trait");
    }

    @Test
    void identifyWithoutTraitsSendsJustTheId() {
        assertEquals(Fixtures.parse("{\"id\":\"u\"}"), wire(payload("{\"type\":\"identify\",\"userId\":\"u\"}").path("user")));
    }

    @Test
    void emailIsTrimmed() {
        assertEquals("a@b.co", payload("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"email\":\" a@b.co \"}}")
                .path("user").path("email").asText());
    }

    @Test
    void malformedOrNonStringEmailRejects() {
        for (String email : new String[] {"\"a@b\"", "\"@b.co\"", "\"a b@c.co\"", "\"a@@b.co\"", "42", "{\"x\":1}"}) {
            MappingResult result = mapper.map(event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"email\":" + email + "}}"), false);
            MappingResult.Rejected rejected = assertInstanceOf(MappingResult.Rejected.class, result, email);
            assertEquals("invalid_email", rejected.rejection().code(), email);
            assertFalse(rejected.rejection().message().contains("a@b") || rejected.rejection().message().contains("b.co"), "no personal data echoed: " + rejected.rejection().message());
        }
    }

    @Test
    void firstCreatedKeyWinsAndAnUnreadableOneIsWarned() {
        assertEquals(1714564800, payload("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"createdAt\":\"2024-05-01T12:00:00Z\",\"created\":1}}")
                .path("user").path("created_at").asLong());
        MappingResult.Mapped bad = mapped("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"created_at\":\"a while ago\"}}", false);
        assertFalse(bad.payload().path("user").has("created_at"));
        assertEquals(List.of("traits.created_at is not a time (ISO-8601, epoch seconds or milliseconds); dropped"), bad.warnings());
    }

    @Test
    void groupUrlWinsOverWebsiteAndEmptyUrlFallsBack() {
        assertEquals("https://u.test", payload("{\"type\":\"group\",\"groupId\":\"g\",\"userId\":\"u\","
                + "\"traits\":{\"url\":\"https://u.test\",\"website\":\"https://w.test\"}}").path("company").path("url").asText());
        assertEquals("https://w.test", payload("{\"type\":\"group\",\"groupId\":\"g\",\"userId\":\"u\","
                + "\"traits\":{\"url\":\"\",\"website\":\"https://w.test\"}}").path("company").path("url").asText());
    }

    @Test
    void groupWithoutTraitsIsJustTheCompanyId() {
        assertEquals(Fixtures.parse("{\"id\":\"g\"}"), wire(payload("{\"type\":\"group\",\"groupId\":\"g\",\"userId\":\"u\"}").path("company")));
    }

    @Test
    void groupTraitsDoNotConsumeUserOnlyKeys() {
        JsonNode traits = payload("{\"type\":\"group\",\"groupId\":\"g\",\"userId\":\"u\",\"traits\":{\"email\":\"billing@acme.test\",\"id\":\"x\"}}")
                .path("company").path("traits");
        assertEquals("billing@acme.test", traits.path("email").asText(), "email is an ordinary trait of a company");
        assertEquals("x", traits.path("id").asText());
    }

    @Test
    void identifyCompanyWithNumericIdIsMappedLikeAGroup() {
        JsonNode payload = payload("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"company\":{\"id\":77,\"name\":\"Acme\",\"plan\":\"pro\"}}}");
        assertEquals(Fixtures.parse("{\"id\":\"77\",\"name\":\"Acme\",\"traits\":{\"plan\":\"pro\"}}"), wire(payload.path("company")));
        assertFalse(payload.path("user").has("traits"), "the company object is consumed: " + payload);
    }

    @Test
    void identifyCompanyWithEmptyIdIsFlattened() {
        MappingResult.Mapped result = mapped("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"company\":{\"id\":\"\",\"name\":\"Acme\"}}}", false);
        assertFalse(result.payload().has("company"));
        assertEquals("Acme", result.payload().path("user").path("traits").path("company_name").asText());
        assertEquals(List.of("traits.company has no id; flattened into user traits"), result.warnings());
    }

    @Test
    void aBooleanCompanyIdMakesNoCompanyAsABooleanGroupIdMakesNoGroup() {
        // a boolean is no id, as groupId: true is rejected invalid_field
        for (String id : new String[] {"true", "false"}) {
            MappingResult.Mapped result = mapped("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"company\":{\"id\":" + id
                    + ",\"name\":\"Acme\"}}}", false);
            assertFalse(result.payload().has("company"), id + ": " + result.payload());
            assertEquals(Fixtures.parse("{\"company_id\":" + id + ",\"company_name\":\"Acme\"}"), wire(result.payload().path("user").path("traits")));
            assertEquals(List.of("traits.company has no id; flattened into user traits"), result.warnings());
        }
    }

    @Test
    void pageWithoutAnyUrlIsAPageviewWithoutUrl() {
        JsonNode payload = payload("{\"type\":\"page\",\"userId\":\"u\",\"context\":{\"page\":{\"url\":\"\"}},\"properties\":{\"title\":\"T\"}}");
        assertTrue(payload.path("page").isObject());
        assertFalse(payload.path("page").has("url"));
    }

    @Test
    void audienceEventWithoutAudienceKeyIsSentWithWarning() {
        MappingResult.Mapped result = mapped("{\"type\":\"track\",\"event\":\"Audience Entered\",\"userId\":\"u\",\"properties\":{}}", false);
        assertEquals(Fixtures.parse("{\"id\":\"u\"}"), wire(result.payload().path("user")));
        assertEquals(List.of("properties.audience_key is missing; audience membership not sent"), result.warnings());
    }

    @Test
    void audienceKeyLongerThanAnyTraitKeyIsNotSentWithWarning() {
        MappingResult.Mapped result = mapped("{\"type\":\"track\",\"event\":\"Audience Entered\",\"userId\":\"u\",\"properties\":{\"audience_key\":\""
                + "k".repeat(129) + "\"}}", false);
        assertFalse(result.payload().path("user").has("traits"));
        assertEquals(List.of("properties.audience_key becomes a key longer than 128 characters; audience membership not sent"), result.warnings());
        assertTrue(payload("{\"type\":\"track\",\"event\":\"Audience Entered\",\"userId\":\"u\",\"properties\":{\"audience_key\":\""
                + "k".repeat(128) + "\"}}").path("user").path("traits").has("k".repeat(128)));
    }

    /** firstName + lastName reads text only; a part of another type is consumed, so it is named, not lost silently. */
    @Test
    void aNameFromPartsNamesThePartThatIsNotText() {
        MappingResult.Mapped result = mapped("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"firstName\":{\"x\":1},\"lastName\":\"Smith\"}}", false);
        assertEquals("Smith", result.payload().path("user").path("name").textValue());
        assertEquals(List.of("traits.firstName is not a string or a number; not sent"), result.warnings());
    }

    @Test
    void audienceKeyIsMadeSafe() {
        JsonNode traits = payload("{\"type\":\"track\",\"event\":\"Audience Exited\",\"userId\":\"u\",\"properties\":{\"audience_key\":\"power users\"}}")
                .path("user").path("traits");
        assertEquals(Fixtures.parse("{\"power_users\":false}"), wire(traits));
    }

    @Test
    void otherTrackPropertiesAreNotSent() {
        JsonNode payload = payload("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u\",\"properties\":{\"audience_key\":\"k\",\"total\":3}}");
        assertFalse(payload.path("user").has("traits"), payload.toString());
    }

    @Test
    void ramenUserOptionsOnAnAnonymousVisitorAreWarned() {
        MappingResult.Mapped result = mapped("{\"type\":\"page\",\"anonymousId\":\"a\",\"integrations\":{\"Ramen\":{\"environment\":\"dev\","
                + "\"user\":{\"labels\":[\"x\"]}}}}", false);
        assertEquals("dev", result.payload().path("environment").asText());
        assertFalse(result.payload().has("user"));
        assertEquals(List.of("integrations.Ramen.user ignored: an anonymous visitor has no customer"), result.warnings());
    }

    @Test
    void malformedRamenUserOptionsAreDroppedWithWarnings() {
        MappingResult.Mapped result = mapped("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"integrations\":{\"Ramen\":"
                + "{\"user\":{\"labels\":[\"ok\",3],\"value\":\"lots\"}}}}", false);
        assertEquals(Fixtures.parse("{\"id\":\"u\"}"), wire(result.payload().path("user")));
        assertEquals(List.of("integrations.Ramen.user.labels is not an array of strings; dropped",
                "integrations.Ramen.user.value is not a finite number; dropped"), result.warnings());
    }

    @Test
    void ramenOptionsNeverOverrideCommonFieldsOrLeakSecureModeMaterial() {
        JsonNode payload = payload("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"messageId\":\"m\",\"integrations\":{\"Ramen\":"
                + "{\"organization_id\":\"evil\",\"_partner\":\"x\",\"message_id\":\"y\",\"auth_hash\":\"h\",\"timestamp\":1}}}");
        assertEquals("org-1", payload.path("organization_id").asText());
        assertEquals("segment.com", payload.path("_partner").asText());
        assertEquals("m", payload.path("message_id").asText());
        assertFalse(payload.has("auth_hash"), "a sender's hash is the signer's business, not the mapper's");
        assertFalse(payload.has("timestamp"));
    }

    @Test
    void ramenFalseIsNotAnOptionsObject() {
        JsonNode payload = payload("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"integrations\":{\"All\":false}}");
        assertFalse(payload.has("environment"));
    }

    /** As Ramen would read it: numbers re-parsed, so that 1714564800 compares equal whether built as a long or an int. */
    private static JsonNode wire(JsonNode node) {
        return Fixtures.parse(node.toString());
    }
    @Test
    void forwardedHashKeepsEmailExactlyAsGivenSoAPaddedEmailIsRejectedNotRetriedForever() {
        // The sender's hash covers the email as given: trimming it would make Ramen answer 401 on every retry.
        String json = "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"email\":\" ada@example.com\"}}";
        MappingResult.Rejected rejected = assertInstanceOf(MappingResult.Rejected.class, mapper.map(event(json), true));
        assertEquals("invalid_email", rejected.rejection().code());
        assertEquals("ada@example.com", mapped(json, false).payload().path("user").path("email").textValue());
    }

    @Test
    void secondCreatedKeyIsNamedInAWarning() {
        MappingResult.Mapped result = mapped("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"createdAt\":100,\"created\":200}}", false);
        assertEquals(100, result.payload().path("user").path("created_at").asLong());
        assertEquals(List.of("traits.created ignored: traits.createdAt already gives created_at"), result.warnings());
    }

    @Test
    void malformedEnvironmentAndCustomLinksAreNamedInWarnings() {
        MappingResult.Mapped result = mapped("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\","
                + "\"integrations\":{\"Ramen\":{\"environment\":5,\"custom_links\":\"x\"}}}", false);
        assertFalse(result.payload().has("environment"));
        assertFalse(result.payload().has("custom_links"));
        assertEquals(List.of("integrations.Ramen.environment is not a string; dropped",
                "integrations.Ramen.custom_links is not an array; dropped"), result.warnings());
    }
}
