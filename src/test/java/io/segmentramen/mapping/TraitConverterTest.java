package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/CONTRACT.md §3, trait conversion: keys, flattening, arrays, {@code _at} times, {@code is_} booleans, collisions. */
class TraitConverterTest {

    private final Warnings collected = new Warnings();

    private List<String> warnings() {
        return collected.list();
    }

    private ObjectNode convert(String traitsJson, String... consumed) {
        return TraitConverter.convert(Fixtures.parse(traitsJson), Set.of(consumed), "traits", collected);
    }

    @Test
    void scalarsPassThroughUnchanged() {
        ObjectNode out = convert("{\"plan\":\"pro\",\"logins\":42,\"score\":1.5,\"vip\":true,\"nickname\":null}");
        assertEquals(Fixtures.parse("{\"plan\":\"pro\",\"logins\":42,\"score\":1.5,\"vip\":true,\"nickname\":null}"), wire(out));
        assertEquals(List.of(), warnings());
    }

    @Test
    void consumedTraitsAreLeftOut() {
        ObjectNode out = convert("{\"email\":\"a@b.co\",\"name\":\"A\",\"plan\":\"pro\"}", "email", "name");
        assertEquals(Fixtures.parse("{\"plan\":\"pro\"}"), wire(out));
        assertEquals(List.of(), warnings(), "consumed traits are mapped elsewhere, not dropped");
    }

    @Test
    void keysOutsideTheSafeSetBecomeUnderscores() {
        assertEquals("favourite_color", TraitConverter.safeKey("favourite color"));
        assertEquals("plan_tier", TraitConverter.safeKey("plan.tier"));
        assertEquals("a-b_c", TraitConverter.safeKey("a-b_c"));
        assertEquals("na_ve", TraitConverter.safeKey("naïve"));
        assertEquals("x__y_", TraitConverter.safeKey("x/$y!"));
        ObjectNode out = convert("{\"first name\":\"Ada\",\"Plan-Tier\":\"gold\"}");
        assertEquals(Fixtures.parse("{\"first_name\":\"Ada\",\"Plan-Tier\":\"gold\"}"), wire(out));
    }

    @Test
    void nestedObjectsAreFlattenedWithUnderscores() {
        ObjectNode out = convert("{\"address\":{\"city\":\"Paris\",\"geo\":{\"lat\":48.85,\"zip code\":\"75001\"}}}");
        assertEquals(Fixtures.parse("{\"address_city\":\"Paris\",\"address_geo_lat\":48.85,\"address_geo_zip_code\":\"75001\"}"), wire(out));
        assertEquals(List.of(), warnings());
    }

    @Test
    void arraysAreDroppedEachWithAWarningNamingTheKey() {
        ObjectNode out = convert("{\"tags\":[\"a\"],\"address\":{\"lines\":[\"x\",\"y\"],\"city\":\"Paris\"},\"empty\":[]}");
        assertEquals(Fixtures.parse("{\"address_city\":\"Paris\"}"), wire(out));
        assertEquals(3, warnings().size(), warnings().toString());
        assertTrue(warnings().get(0).startsWith("traits.tags is an array"), warnings().get(0));
        assertTrue(warnings().get(1).startsWith("traits.address.lines is an array"), warnings().get(1));
        assertTrue(warnings().get(2).startsWith("traits.empty is an array"), warnings().get(2));
    }

    @Test
    void flattenCollisionKeepsTheSendersKeyWhicheverComesFirst() {
        ObjectNode before = convert("{\"address_city\":\"Lyon\",\"address\":{\"city\":\"Paris\"}}");
        assertEquals(Fixtures.parse("{\"address_city\":\"Lyon\"}"), wire(before));
        ObjectNode after = convert("{\"address\":{\"city\":\"Paris\"},\"address_city\":\"Lyon\"}");
        assertEquals(Fixtures.parse("{\"address_city\":\"Lyon\"}"), wire(after));
        assertEquals(List.of(
                "traits.address.city becomes address_city, which a trait written by the sender already holds; dropped",
                "traits.address.city becomes address_city, which a trait written by the sender already holds; dropped"), warnings());
    }

    @Test
    void sanitisedKeyCollisionBetweenSenderKeysIsWarned() {
        ObjectNode out = convert("{\"first_name\":\"Ada\",\"first name\":\"Grace\"}");
        assertEquals(Fixtures.parse("{\"first_name\":\"Ada\"}"), wire(out));
        assertEquals(1, warnings().size());
        assertTrue(warnings().get(0).contains("traits.first name") && warnings().get(0).contains("first_name"), warnings().get(0));
    }

    @Test
    void atKeysBecomeEpochSeconds() {
        ObjectNode out = convert("{\"seen_at\":\"2024-05-01T14:00:00+02:00\",\"trial_at\":1714564800,"
                + "\"paid_at\":1714564800123,\"str_at\":\"1714564800\",\"gone_at\":null,\"meta\":{\"updated_at\":\"2024-05-01\"}}");
        assertEquals(Fixtures.parse("{\"seen_at\":1714564800,\"trial_at\":1714564800,\"paid_at\":1714564800,"
                + "\"str_at\":1714564800,\"gone_at\":null,\"meta_updated_at\":1714521600}"), wire(out));
        assertEquals(List.of(), warnings());
    }

    @Test
    void unconvertibleTimeIsDroppedWithWarning() {
        ObjectNode out = convert("{\"seen_at\":\"yesterday\",\"vip_at\":true,\"plan\":\"pro\"}");
        assertEquals(Fixtures.parse("{\"plan\":\"pro\"}"), wire(out));
        assertEquals(List.of(
                "traits.seen_at is not a time (ISO-8601, epoch seconds or milliseconds); dropped",
                "traits.vip_at is not a time (ISO-8601, epoch seconds or milliseconds); dropped"), warnings());
    }

    @Test
    void isKeysBecomeBooleans() {
        ObjectNode out = convert("{\"is_a\":true,\"is_b\":false,\"is_c\":\"true\",\"is_d\":\"false\",\"is_e\":\"yes\","
                + "\"is_f\":\"no\",\"is_g\":1,\"is_h\":0,\"is_i\":\"YES\",\"is_j\":\" No \"}");
        assertEquals(Fixtures.parse("{\"is_a\":true,\"is_b\":false,\"is_c\":true,\"is_d\":false,\"is_e\":true,"
                + "\"is_f\":false,\"is_g\":true,\"is_h\":false,\"is_i\":true,\"is_j\":false}"), wire(out));
        assertEquals(List.of(), warnings());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "-1", "\"maybe\"", "\"\"", "1.0", "\"2024-05-01\""})
    void unconvertibleBooleanIsDroppedWithWarning(String value) {
        ObjectNode out = convert("{\"is_admin\":" + value + "}");
        assertEquals(Fixtures.parse("{}"), wire(out));
        assertEquals(List.of("traits.is_admin is not a boolean; dropped"), warnings());
    }

    @Test
    void onlyKeysEndingInAtOrStartingWithIsAreConverted() {
        ObjectNode out = convert("{\"atlas\":\"x\",\"status\":\"yes\",\"this_is_x\":\"no\",\"format\":\"2024-05-01\"}");
        assertEquals(Fixtures.parse("{\"atlas\":\"x\",\"status\":\"yes\",\"this_is_x\":\"no\",\"format\":\"2024-05-01\"}"), wire(out));
    }

    @Test
    void warningsNameTheGivenPath() {
        TraitConverter.convert(Fixtures.parse("{\"tags\":[1]}"), Set.of(), "traits.company", collected);
        assertEquals(List.of("traits.company.tags is an array; Ramen cannot hold arrays, dropped"), warnings());
    }

    @Test
    void missingOrNonObjectTraitsGiveNothing() {
        assertEquals(0, TraitConverter.convert(null, Set.of(), "traits", collected).size());
        JsonNode array = Fixtures.parse("[1,2]");
        assertEquals(0, TraitConverter.convert(array, Set.of(), "traits", collected).size());
        assertEquals(List.of(), warnings());
    }

    /** As Ramen would read it: numbers re-parsed, so that 1714564800 compares equal whether built as a long or an int. */
    private static JsonNode wire(JsonNode node) {
        return Fixtures.parse(node.toString());
    }
}
