package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.segmentramen.json.Json;
import io.segmentramen.mapping.Warnings.Code;
import io.segmentramen.segment.Times;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * docs/CONTRACT.md §3's mapping table, as rows: the Ramen field, its {@link Type}, and the Segment paths it is read
 * from in order of priority (the first that holds a value of the type wins). Each table is read inside one event
 * object and written into one payload object. {@link RamenMapper} applies the tables and holds, in plain Java, the
 * rules of their own (the anonymous fallback, replayed history, the company, audiences, custom traits, Secure Mode);
 * {@link #documented()} lists both for ContractTest, which checks them against CONTRACT §3 both ways.
 */
public final class MappingTable {

    /** Every event. */
    static final Table EVENT = table("", "",
            row("message_id", Type.NONEMPTY_TEXT, "messageId"),
            row("sent_at", Type.EVENT_TIME, "timestamp"));
    /** A known visitor: the customer. */
    static final Table USER = table("", "user", row("id", Type.ID, "userId"));
    /** Only when there is no {@code user.id}: an anonymous visitor. */
    static final Table ANONYMOUS = table("", "", row("anonymous_id", Type.ID, "anonymousId"));
    /** identify, read first: an email that is not one rejects the event before anything else is said about it. */
    static final Table EMAIL = table("traits", "user", row("email", Type.EMAIL, "email"));
    /** identify. */
    static final Table CUSTOMER = table("traits", "user",
            row("name", Type.NAME, "name", "firstName", "lastName"),
            row("created_at", Type.TIME, "created_at", "createdAt", "created"));
    private static final List<Row> COMPANY = List.of(
            row("name", Type.TEXT, "name"),
            row("url", Type.NONEMPTY_TEXT, "url", "website"),
            row("created_at", Type.TIME, "created_at", "createdAt", "created"));
    /** group; its {@code company.id} is {@code groupId}. */
    static final Table GROUP = table("traits", "company", COMPANY);
    /** identify, when {@code traits.company} is an object with an {@code id}. */
    static final Table CUSTOMER_COMPANY = table("traits.company", "company", COMPANY);
    static final Table TRACK = table("", "event", row("name", Type.TEXT, "event"));
    static final Table PAGE = table("", "page", row("url", Type.NONEMPTY_TEXT, "context.page.url", "properties.url"));
    /** Options from the sender; nothing in them can override the fields above. */
    static final Table OPTIONS = table("integrations.Ramen", "",
            row("environment", Type.STRING, "environment"),
            row("custom_links", Type.ARRAY, "custom_links"));
    /** Only when there is a customer to hold them. */
    static final Table USER_OPTIONS = table("integrations.Ramen.user", "user",
            row("labels", Type.STRING_ARRAY, "labels"),
            row("value", Type.FINITE_NUMBER, "value"));

    /** The fields {@link RamenMapper} writes in plain Java, with the Segment paths they read. */
    private static final List<Documented> IN_JAVA = List.of(
            new Documented("import", List.of("integrations.Ramen.import")),
            new Documented("company.id", List.of("groupId")),
            new Documented("company.id", List.of("traits.company.id")),
            new Documented("user.traits.<audience_key>", List.of("event", "properties.audience_key")));

    private MappingTable() {
    }

    /**
     * @param from the event object the paths are read inside ({@code ""}: the event); a table read from
     *             {@code traits} also sends the traits its rows do not read, converted, as {@code <into>.traits}
     * @param into the payload object the fields are written into ({@code ""}: the payload)
     * @param keys the keys its rows read, from {@code rows} ({@link #table}): in a table read from traits, the
     *             traits not sent again among the custom traits
     */
    record Table(String from, String into, List<Row> rows, Set<String> keys) {

        boolean readsTraits() {
            return from.startsWith("traits");
        }

        /** A path as the event spells it and a warning names it: {@code traits.company.url}. */
        String named(String path) {
            return from.isEmpty() ? path : from + "." + path;
        }

        String wireField(String field) {
            return into.isEmpty() ? field : into + "." + field;
        }
    }

    /** @param paths inside the table's {@code from}, in order of priority */
    record Row(String field, Type type, List<String> paths) {
    }

    private static Row row(String field, Type type, String... paths) {
        return new Row(field, type, List.of(paths));
    }

    /** A table; the keys its rows read are collected once, here, rather than for every event. */
    private static Table table(String from, String into, Row... rows) {
        return table(from, into, List.of(rows));
    }

    private static Table table(String from, String into, List<Row> rows) {
        return new Table(from, into, rows, rows.stream().flatMap(row -> row.paths().stream()).collect(Collectors.toUnmodifiableSet()));
    }

    /**
     * What a row's value must be, what Ramen receives, and what a value of another type does: an {@code EMAIL}
     * rejects the event ({@code invalid_email}); a time or an option is dropped with a warning ({@link #dropped});
     * any other is passed over for the row's next path, and a trait passed over is named in a {@code wrong_type}
     * warning (it is not sent among the custom traits either), as docs/CONTRACT.md §3 words it ("A value of the wrong
     * type"). JSON {@code null} is no value, except for {@code STRING_ARRAY} and {@code FINITE_NUMBER}.
     */
    enum Type {
        /** A string, or a number as plain decimals; {@code ""} is none. */
        ID("is not a string or a number", null),
        /** A string, or a finite number as written; {@code ""} included. */
        TEXT("is not a string or a number", null),
        /** {@link #TEXT}, but {@code ""} is none. */
        NONEMPTY_TEXT("is not a string or a number", null),
        /**
         * The customer's name: its first path, else the others' text joined with a space, else the customer's email;
         * blank is none. A forwarded Secure Mode hash covers it: then only the first path, any text exactly as given.
         */
        NAME("is not a string or a number", null),
        /** A string, trimmed ({@code ""} is none), that must be an email address; a forwarded hash covers it: not trimmed. */
        EMAIL("must be a string", null),
        /** A time (ISO-8601, epoch seconds or milliseconds) in epoch seconds; a later path holding one is named as ignored. */
        TIME("is not a time (ISO-8601, epoch seconds or milliseconds)", Code.NOT_A_TIME),
        /** The event's own time, as {@link #TIME}; without it the payload has no {@code sent_at}, and never {@code import}. */
        EVENT_TIME("is not an ISO-8601 time", Code.TIMESTAMP_NOT_A_TIME),
        STRING("is not a string", Code.OPTION_DROPPED),
        ARRAY("is not an array", Code.OPTION_DROPPED),
        STRING_ARRAY("is not an array of strings", Code.OPTION_DROPPED),
        FINITE_NUMBER("is not a finite number", Code.OPTION_DROPPED);

        private static final Pattern EMAIL_ADDRESS = Pattern.compile(
                "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
        static final Converted NONE = new Converted(null, null);

        final String problem;
        /** The warning a value of the wrong type is dropped with; null: it is not dropped but passed over (or rejected). */
        final Code dropped;

        Type(String problem, Code dropped) {
            this.problem = problem;
            this.dropped = dropped;
        }

        /** A value read: what Ramen receives, or what is {@code wrong} with it (after the path: "must be a string"); both null: none. */
        record Converted(JsonNode value, String wrong) {
        }

        /** @param asGiven a forwarded Secure Mode hash covers the value: no trimming, and blank is a name */
        Converted convert(JsonNode value, boolean asGiven) {
            if (value.isNull() && this != STRING_ARRAY && this != FINITE_NUMBER) {
                return NONE;
            }
            Converted wrong = new Converted(null, problem);
            String text = text(value);
            return switch (this) {
                case ID -> {
                    String id = Json.text(value);
                    yield id == null ? wrong : id.isEmpty() ? NONE : text(value, id);
                }
                case TEXT -> text == null ? wrong : text(value, text);
                case NONEMPTY_TEXT -> text == null ? wrong : text.isEmpty() ? NONE : text(value, text);
                case NAME -> text == null ? wrong : text.isBlank() && !asGiven ? NONE : text(value, text);
                case EMAIL -> {
                    String email = !value.isTextual() ? null : asGiven ? value.asText() : value.asText().trim();
                    yield email == null ? wrong : email.isEmpty() ? NONE : EMAIL_ADDRESS.matcher(email).matches() ? text(value, email)
                            : new Converted(null, "is not a valid email address");
                }
                case TIME, EVENT_TIME -> {
                    OptionalLong seconds = Times.toEpochSeconds(value);
                    yield seconds.isPresent() ? new Converted(LongNode.valueOf(seconds.getAsLong()), null) : wrong;
                }
                case STRING -> value.isTextual() ? new Converted(value, null) : wrong;
                case ARRAY -> value.isArray() ? new Converted(value.deepCopy(), null) : wrong;
                case STRING_ARRAY -> value.isArray() && value.valueStream().allMatch(JsonNode::isTextual) ? new Converted(value.deepCopy(), null) : wrong;
                case FINITE_NUMBER -> value.isNumber() && !Json.isNonFinite(value) ? new Converted(value, null) : wrong;
            };
        }

        /** A string, or a finite number as written; null for anything else. */
        static String text(JsonNode value) {
            return value == null || !(value.isTextual() || value.isNumber()) || Json.isNonFinite(value) ? null : value.asText();
        }

        /** The text as a node, reusing the event's own node when it is that text already. */
        private static Converted text(JsonNode value, String text) {
            return new Converted(value.isTextual() && value.textValue().equals(text) ? value : TextNode.valueOf(text), null);
        }
    }

    /** One documented mapping: a wire field and the event paths it is read from, in order. */
    public record Documented(String wireField, List<String> eventPaths) {
    }

    /** Every wire field taken from the event, with its Segment paths: what docs/CONTRACT.md's mapping table must list. */
    public static List<Documented> documented() {
        Set<Documented> all = new LinkedHashSet<>(IN_JAVA);
        for (Table table : List.of(EVENT, USER, ANONYMOUS, EMAIL, CUSTOMER, CUSTOMER_COMPANY, GROUP, TRACK, PAGE, OPTIONS, USER_OPTIONS)) {
            table.rows().forEach(row -> all.add(new Documented(table.wireField(row.field()), row.paths().stream().map(table::named).toList())));
            if (table.readsTraits()) {
                all.add(new Documented(table.wireField("traits"), List.of(table.from())));
            }
        }
        return List.copyOf(all);
    }
}
