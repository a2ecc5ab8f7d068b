package io.segmentramen.mapping;

import io.segmentramen.mapping.Warnings.Code;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.segmentramen.mapping.Converter.ARRAY;
import static io.segmentramen.mapping.Converter.EMAIL;
import static io.segmentramen.mapping.Converter.FINITE_NUMBER;
import static io.segmentramen.mapping.Converter.ID;
import static io.segmentramen.mapping.Converter.NAME;
import static io.segmentramen.mapping.Converter.NONEMPTY_TEXT;
import static io.segmentramen.mapping.Converter.STRING;
import static io.segmentramen.mapping.Converter.STRING_ARRAY;
import static io.segmentramen.mapping.Converter.TEXT;
import static io.segmentramen.mapping.Converter.TIME;

/**
 * SPEC §4 (and §13) as one table, to be read beside it: every Ramen field taken from the event, its
 * sources in order of precedence (the first that gives a value wins), its {@link Converter}, and what
 * a value of the wrong type does: {@code orReject} rejects the event with that reason, {@code orWarn}
 * drops the value with that warning, and otherwise the value is passed over and the next source tried
 * (a passed-over trait, which is not sent among the custom traits either, is named in a
 * {@code wrong_type} warning).
 * A trait a row reads is <em>consumed</em>: it is not sent again among the custom traits.
 * {@link RamenMapper} applies the table; docs/CONTRACT.md's mapping table lists the same fields and
 * sources, which ContractTest checks both ways. ({@code organization_id} and {@code _partner} come
 * from configuration, {@code timestamp} and {@code auth_hash} from signing.)
 *
 * <p>A source is an event path ({@code traits.email}), two paths joined with a space
 * ({@code traits.firstName + traits.lastName}), or a field already mapped ({@code user.email (as mapped)}).
 */
public final class MappingTable {

    /** Every key of the section's traits that no row consumes, converted, into the target's {@code traits}. */
    private static final OtherTraits OTHER_TRAITS = new OtherTraits();

    /** The common payload fields and the visitor, on every payload. */
    static final Section COMMON = section("", null,
            row("message_id", NONEMPTY_TEXT, "messageId"),
            row("sent_at", TIME, "timestamp").orWarn(Code.TIMESTAMP_NOT_A_TIME, "timestamp is not an ISO-8601 time; sent_at omitted"),
            Step.IMPORT,
            row("user.id", ID, "userId").signed(),
            row("anonymous_id", ID, "anonymousId").unless("user"));

    /** identify → customer. */
    static final Section CUSTOMER = section("user", "traits",
            row("email", EMAIL, "traits.email").orReject("invalid_email").signed(),
            row("name", NAME, "traits.name", "traits.firstName + traits.lastName", "user.email (as mapped)").signed(),
            row("created_at", TIME, created("traits")).orWarn(Code.NOT_A_TIME).warnIgnored(Code.CREATED_AT_IGNORED),
            nested("traits.company", company("traits.company.id", "traits.company"),
                    Code.COMPANY_WITHOUT_ID, "traits.company has no id; flattened into user traits"),
            OTHER_TRAITS);

    /** group → company. */
    static final Section GROUP = company("groupId", "traits");

    /** track → event; Engage audience events also carry the audience as a user trait. */
    static final Section TRACK = section("event", null,
            row("name", TEXT, "event"),
            Step.AUDIENCE);

    /** page → pageview: the page object is sent even without a URL. */
    static final Section PAGE = section("page", null,
            row("url", NONEMPTY_TEXT, "context.page.url", "properties.url"));

    /** Options from the event ({@code integrations.Ramen}); nothing in it can override the fields above. */
    static final Section OPTIONS = section("", null,
            row("environment", STRING, "integrations.Ramen.environment").orWarn(Code.OPTION_DROPPED),
            row("custom_links", ARRAY, "integrations.Ramen.custom_links").orWarn(Code.OPTION_DROPPED),
            nested("integrations.Ramen.user", section("user", null,
                    row("labels", STRING_ARRAY, "integrations.Ramen.user.labels").orWarn(Code.OPTION_DROPPED),
                    row("value", FINITE_NUMBER, "integrations.Ramen.user.value").orWarn(Code.OPTION_DROPPED)).intoExistingOnly(),
                    Code.OPTION_DROPPED, "integrations.Ramen.user ignored: an anonymous visitor has no customer"));

    /** A company, from a group's traits or from identify's {@code traits.company}: no company without an id. */
    private static Section company(String id, String traits) {
        return section("company", traits,
                row("id", ID, id).required(),
                row("name", TEXT, traits + ".name"),
                row("url", NONEMPTY_TEXT, traits + ".url", traits + ".website"),
                row("created_at", TIME, created(traits)).orWarn(Code.NOT_A_TIME).warnIgnored(Code.CREATED_AT_IGNORED),
                OTHER_TRAITS);
    }

    private static String[] created(String traits) {
        return new String[] {traits + ".created_at", traits + ".createdAt", traits + ".created"};
    }

    private MappingTable() {
    }

    /** One documented mapping: a wire field and the event paths it is read from, in order. */
    public record Documented(String wireField, List<String> eventPaths) {
    }

    /** Every wire field the table writes, with its event paths: what docs/CONTRACT.md's mapping table must list. */
    public static List<Documented> documented() {
        List<Documented> all = new ArrayList<>();
        for (Section section : List.of(COMMON, CUSTOMER, GROUP, TRACK, PAGE, OPTIONS)) {
            document(section, all);
        }
        return all;
    }

    private static void document(Section section, List<Documented> into) {
        for (Rule rule : section.rules()) {
            if (rule instanceof Nested nested) {
                document(nested.section(), into);
            } else if (rule instanceof Step step) {
                into.add(new Documented(step.field, step.sources.stream().flatMap(source -> source.eventPaths().stream()).toList()));
            } else if (rule instanceof Row row) {
                into.add(new Documented(section.wireField(row.field()), row.eventPaths()));
            } else {
                into.add(new Documented(section.wireField("traits"), List.of(section.traits().spelled())));
            }
        }
    }

    /**
     * The event paths a sender's Secure Mode hash covers in an event mapped by {@code section}: the
     * first source of every {@link Row#isSigned() signed} row of {@link #COMMON} and of the section
     * ({@code userId}, and for identify {@code traits.email}, {@code traits.name}; a group's
     * {@code traits.name} is the company's name, which no hash covers).
     */
    static List<String> signedSources(Section mapped) {
        List<String> signed = new ArrayList<>();
        for (Section section : List.of(COMMON, mapped)) {
            for (Rule rule : section.rules()) {
                if (rule instanceof Row row && row.isSigned()) {
                    signed.add(row.sources().get(0).spelled());
                }
            }
        }
        return List.copyOf(signed);
    }

    private static Row row(String field, Converter converter, String... sources) {
        return new Row(field, Source.all(sources), converter, Ignore.IGNORE, false, false, null, null);
    }

    private static Section section(String target, String traits, Rule... rules) {
        return new Section(target, traits == null ? null : Source.parse(traits), List.of(rules), false);
    }

    private static Nested nested(String source, Section section, Code code, String message) {
        return new Nested(Source.parse(source), section, code, message);
    }

    /** One entry of a section: a field row, a nested section, the other traits, or a named step. */
    sealed interface Rule permits Row, Nested, OtherTraits, Step {
    }

    /**
     * One Ramen field.
     *
     * @param field       where it goes, inside the section's target
     * @param isSigned    covered by a forwarded Secure Mode hash: when one is forwarded, only the first
     *                    source is read and its value is taken as given (§5)
     * @param isRequired  the section is not applied when this row finds no value (it must come first)
     * @param ignoredCode when set, a later source that also holds a value is named in a warning
     * @param unless      the row is skipped when the section's target already holds this field
     */
    record Row(String field, List<Source> sources, Converter converter, OnWrong onWrong, boolean isSigned, boolean isRequired,
               Code ignoredCode, String unless) implements Rule {

        Row orReject(String reason) {
            return new Row(field, sources, converter, new Reject(reason), isSigned, isRequired, ignoredCode, unless);
        }

        /** Dropped with a warning: {@code <source> <what is wrong>; dropped}. */
        Row orWarn(Code code) {
            return orWarn(code, null);
        }

        Row orWarn(Code code, String message) {
            return new Row(field, sources, converter, new Warn(code, message), isSigned, isRequired, ignoredCode, unless);
        }

        Row signed() {
            return new Row(field, sources, converter, onWrong, true, isRequired, ignoredCode, unless);
        }

        Row required() {
            return new Row(field, sources, converter, onWrong, isSigned, true, ignoredCode, unless);
        }

        Row warnIgnored(Code code) {
            return new Row(field, sources, converter, onWrong, isSigned, isRequired, code, unless);
        }

        Row unless(String present) {
            return new Row(field, sources, converter, onWrong, isSigned, isRequired, ignoredCode, present);
        }

        /** The same row reading from the section's traits object where its sources lie inside it. */
        Row within(Source traits) {
            return new Row(field, sources.stream().map(source -> source.within(traits)).toList(), converter, onWrong, isSigned, isRequired,
                    ignoredCode, unless);
        }

        /** The event paths this row reads (a joined source gives two; a mapped field none). */
        List<String> eventPaths() {
            return sources.stream().flatMap(source -> source.eventPaths().stream()).toList();
        }

        /** Decides whether the section applies at all: runs before anything else of the section is said. */
        boolean decides() {
            return isRequired || onWrong instanceof Reject;
        }
    }

    /**
     * A section applied when {@code source} is an object; when the section cannot be applied (no id,
     * no customer to hold it) the object is left alone and {@code message} says so.
     */
    record Nested(Source source, Section section, Code code, String message) implements Rule {

        /** The same nested section, its source read from the traits object at {@code traits} when it lies inside. */
        Nested within(Source traits) {
            return new Nested(source.within(traits), section, code, message);
        }
    }

    /** Every key of the section's traits that no row consumes, converted (SPEC §4 trait conversion), into {@code traits}. */
    record OtherTraits() implements Rule {
    }


    /** A rule with a logic of its own, named here and applied by {@link RamenMapper}. */
    enum Step implements Rule {
        /** SPEC §13 replayed history, see {@link ImportRule}: the event's time is its {@code timestamp}, as mapped. */
        IMPORT("import", "sent_at (as mapped)", "integrations.Ramen.import"),
        /** {@code Audience Entered} / {@code Audience Exited}: the user trait {@code <audience_key>: true|false}. */
        AUDIENCE("user.traits.<audience_key>", "event", "properties.audience_key");

        final String field;
        final List<Source> sources;

        Step(String field, String... sources) {
            this.field = field;
            this.sources = Source.all(sources);
        }
    }

    /** What a value of the wrong type does. */
    sealed interface OnWrong permits Reject, Warn, Ignore {
    }

    /** The event is rejected with this reason: {@code <source> <what is wrong>}. */
    record Reject(String reason) implements OnWrong {
    }

    /** The value is dropped with this warning; {@code message} null means {@code <source> <what is wrong>; dropped}. */
    record Warn(Code code, String message) implements OnWrong {
    }

    /**
     * The value is passed over and the next source tried; a passed-over trait is named in a
     * {@code wrong_type} warning, as it is not sent among the custom traits either.
     */
    enum Ignore implements OnWrong { IGNORE }

    /**
     * Rules applied in order, writing into {@code target} (a payload field; "" is the payload itself),
     * created when first written to unless {@code existingOnly}.
     *
     * @param traits             the event object whose keys the rows consume, or null
     * @param consumed           derived: the keys of {@code traits} that the section's rows read
     * @param consumedWithNested the same, and the key of a nested section that was applied
     */
    record Section(String target, Source traits, List<Rule> rules, boolean existingOnly, Set<String> consumed,
                   Set<String> consumedWithNested) {

        Section(String target, Source traits, List<Rule> rules, boolean existingOnly) {
            this(target, traits, traits == null ? rules : rules.stream().map(rule -> rule instanceof Row row ? row.within(traits)
                            : rule instanceof Nested nested ? nested.within(traits) : rule).toList(),
                    existingOnly, consumed(traits, rules, false), consumed(traits, rules, true));
        }

        String wireField(String field) {
            return target.isEmpty() ? field : target + "." + field;
        }

        /** For a section that writes into an object only when it is already there (the customer of user options). */
        Section intoExistingOnly() {
            return new Section(target, traits, rules, true);
        }

        private static Set<String> consumed(Source traits, List<Rule> rules, boolean withNested) {
            Set<String> keys = new LinkedHashSet<>();
            if (traits == null) {
                return Set.of();
            }
            String prefix = traits.spelled() + ".";
            for (Rule rule : rules) {
                List<String> paths = rule instanceof Row row ? row.eventPaths()
                        : rule instanceof Nested nested && withNested ? nested.source().eventPaths() : List.of();
                for (String path : paths) {
                    if (path.startsWith(prefix) && path.indexOf('.', prefix.length()) < 0) {
                        keys.add(path.substring(prefix.length()));
                    }
                }
            }
            return Set.copyOf(keys);
        }
    }
}
