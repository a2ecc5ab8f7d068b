package io.segmentramen.contract;

import io.segmentramen.golden.GoldenCase;
import io.segmentramen.mapping.MappingTable;
import io.segmentramen.outcome.Status;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/CONTRACT.md holds the only table of outcomes and reason codes (its §2). This test reads
 * it and checks it both ways: every reason code the code can emit is in the table, and every code
 * in the table is emitted by a golden case, or is in {@link #WITHOUT_GOLDEN_CASE} with the reason why.
 * The README links to the contract instead of repeating its tables, and no page links outside the repository.
 */
class ContractTest {

    private static final Path CONTRACT = Path.of("docs/CONTRACT.md");
    private static final Path MAIN_SOURCES = Path.of("src/main/java");
    private static final Path README = Path.of("README.md");
    /** A Markdown link's target: {@code [text](target)}. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** An event's statuses, and {@code refused} for a request refused whole (an {@code error} answer, no event status). */
    private static final Set<String> STATUSES = statuses();

    /**
     * Codes in the table that no golden case emits yet. Every entry says why; shrink this list as
     * cases are added (the test fails when an entry has a golden case, so it cannot go stale).
     */
    private static final Set<String> WITHOUT_GOLDEN_CASE = Set.of(
            // de-duplication is off in the golden profile (every case runs through three entry points)
            "duplicate", "duplicate_in_flight",
            // need a configuration other than the golden profile's, which every other case shares:
            // RAMEN_SECURE_MODE=required without a secret rejects every identified event; no credential
            // at all contradicts the credentials the golden requests carry (RequestAuthenticatorTest has it)
            "secure_mode_unsigned", "auth_not_configured",
            // only the API Gateway way in carries a method: EventsResource is @POST, and RESTEasy answers
            // other methods itself; HostileInputTest covers it
            "method_not_allowed",
            // a 6 MB body is no fixture; HostileInputTest covers it with a small MAX_BODY_BYTES
            "body_too_large",
            // timing and connection faults: FaultInjectionTest, FaultDeadlineTest, EventSenderTest
            "ramen_timeout", "ramen_unreachable", "deadline_exceeded", "internal_error",
            // SQS records: SqsEntryTest, SqsAuthenticationTest
            "unauthenticated_record", "malformed_record");

    /** A string literal in snake_case: reason codes, and also wire field names (told apart below). */
    private static final Pattern SNAKE_LITERAL = Pattern.compile("\"([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\"");
    /**
     * The code of an event's {@code Rejection} (every skip, rejection and failure of every stage makes
     * one) or of a request's refusal, also when it is one word ({@code "duplicate"}).
     */
    private static final Pattern CODE_ARGUMENT = Pattern.compile(
            "\\b(?:Rejection|RequestError|error)\\(\\s*(?:[\\w.]+\\s*,\\s*)?\"([a-z][a-z0-9_]*)\"");

    record Row(String status, String reason) {
    }

    private static Set<String> statuses() {
        Set<String> statuses = new HashSet<>();
        for (Status status : Status.values()) {
            statuses.add(status.wireName());
        }
        statuses.add("refused");
        return Set.copyOf(statuses);
    }

    @Test
    void theTableIsWellFormed() throws IOException {
        List<Row> rows = rows();
        assertTrue(rows.size() > 40, "the outcome table was not found or is cut short: " + rows.size() + " rows");
        Set<Row> seen = new HashSet<>();
        for (Row row : rows) {
            assertTrue(STATUSES.contains(row.status()), "unknown status in " + row);
            assertTrue(seen.add(row), "listed twice: " + row);
        }
    }

    @Test
    void everyCodeTheCodeCanEmitIsListed() throws IOException {
        Set<String> listed = listedCodes();
        String fieldSections = sections("## 3.", "## 6.");
        Set<String> missing = new TreeSet<>();
        for (String literal : codeLiterals()) {
            boolean fieldName = Pattern.compile("\\b" + literal + "\\b").matcher(fieldSections).find();
            if (!listed.contains(literal) && !fieldName) {
                missing.add(literal);
            }
        }
        assertEquals(Set.of(), missing, "reason codes in src/main that docs/CONTRACT.md's outcome table does not list"
                + " (a wire field name belongs in its mapping or wire sections)");
    }

    @Test
    void everyListedCodeHasAGoldenCase() throws IOException {
        Set<String> emitted = goldenCodes();
        Set<String> missing = new TreeSet<>();
        for (String code : listedCodes()) {
            if (!emitted.contains(code) && !WITHOUT_GOLDEN_CASE.contains(code)) {
                missing.add(code);
            }
        }
        assertEquals(Set.of(), missing, "listed codes that no golden case emits: add a case folder under src/test/resources/golden");
        Set<String> stale = new TreeSet<>(WITHOUT_GOLDEN_CASE);
        stale.retainAll(emitted);
        assertEquals(Set.of(), stale, "these now have a golden case: remove them from WITHOUT_GOLDEN_CASE");
        Set<String> unknown = new TreeSet<>(WITHOUT_GOLDEN_CASE);
        unknown.removeAll(listedCodes());
        assertEquals(Set.of(), unknown, "WITHOUT_GOLDEN_CASE names codes the table does not list");
    }

    /**
     * The README explains and links; it does not repeat the contract's tables (a second copy goes
     * stale): no README table row starts with a reason code of the outcome table, a field of the
     * mapping table or a variable of the configuration table.
     */
    @Test
    void theReadmeLinksTheContractInsteadOfRepeatingIt() throws IOException {
        Set<String> keys = new TreeSet<>(listedCodes());
        (sections("## 3.", "## 4.") + sections("## 7.", null)).lines().filter(line -> line.startsWith("| `"))
                .map(ContractTest::firstCell).forEach(keys::add);
        assertTrue(keys.containsAll(Set.of("ramen_redirect", "`userId` (numbers as decimal strings)", "`RAMEN_IMPORT_AFTER`")),
                "the keys of the outcome, mapping and configuration tables were read: " + keys);
        List<String> repeated = Files.readString(README).lines().filter(line -> line.startsWith("| "))
                .filter(line -> keys.contains(firstCell(line)) || keys.contains(unquoted(firstCell(line)))).toList();
        assertEquals(List.of(), repeated, "README.md rows that repeat docs/CONTRACT.md: link to its section instead");
    }

    /** Every link of README.md and docs/ leads to a file of the repository, and a link to a section to a heading that exists. */
    @Test
    void everyLinkStaysInsideTheRepository() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            String text = Files.readString(page);
            if (text.contains("../shared/") || text.contains("/work/")) {
                broken.add(page + " names a path of the build machine (../shared/ or /work/)");
            }
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                checked++;
                String[] fileAndAnchor = target.split("#", 2);
                Path file = fileAndAnchor[0].isEmpty() ? page : page.resolveSibling(fileAndAnchor[0]).normalize();
                if (!Files.exists(file) || file.startsWith("..")) {
                    broken.add(page + " → " + target + ": no such file in the repository");
                } else if (fileAndAnchor.length == 2 && !anchors(file).contains(fileAndAnchor[1])) {
                    broken.add(page + " → " + target + ": no such heading in " + file);
                }
            }
        }
        assertTrue(checked > 5, "the relative links were found: " + checked);
        assertEquals(List.of(), broken);
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : Files.readString(page).lines().toList()) {
            if (line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    private static String firstCell(String row) {
        return row.substring(1).split("\\|")[0].trim();
    }

    private static String unquoted(String cell) {
        return cell.replace("`", "");
    }

    /** Segment's event fields: a backticked name in the mapping table's first column that starts with one is a source. */
    private static final Set<String> SEGMENT_FIELDS = Set.of("type", "messageId", "timestamp", "userId", "anonymousId", "groupId",
            "previousId", "event", "name", "traits", "properties", "context", "integrations", "sentAt", "receivedAt", "originalTimestamp");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    @Test
    void theMappingTableAndTheCodeListTheSameFieldsAndSources() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : sections("## 3.", "## 4.").lines().toList()) {
            String[] cells = line.startsWith("| ") ? line.substring(1, line.length() - 1).split("\\|") : new String[0];
            String segment = cells.length == 3 ? cells[0].trim() : "(";
            if (segment.startsWith("(") || segment.startsWith("Segment field")) {
                continue; // configuration and signing, not the event; the header
            }
            List<String> sources = new ArrayList<>();
            Matcher token = BACKTICKED.matcher(segment.replaceAll("\\([^)]*\\)", ""));
            while (token.find()) {
                if (SEGMENT_FIELDS.contains(token.group(1).split("\\.")[0])) {
                    sources.add(token.group(1));
                }
            }
            Matcher wire = BACKTICKED.matcher(cells[1]);
            assertTrue(wire.find(), "a wire field in backticks: " + line);
            documented.add(wire.group(1).replaceAll("\\.\\*$", "") + " ← " + String.join(", ", sources));
        }
        assertTrue(documented.size() > 20, "the mapping table was not found or is cut short: " + documented);
        Set<String> coded = new TreeSet<>();
        MappingTable.documented().forEach(row -> coded.add(row.wireField() + " ← " + String.join(", ", row.eventPaths())));
        Set<String> notDocumented = new TreeSet<>(coded);
        notDocumented.removeAll(documented);
        Set<String> notCoded = new TreeSet<>(documented);
        notCoded.removeAll(coded);
        assertEquals(Set.of(), notDocumented, "MappingTable rows that docs/CONTRACT.md's mapping table does not list (wire field ← sources in order)");
        assertEquals(Set.of(), notCoded, "docs/CONTRACT.md mapping rows that MappingTable does not have (wire field ← sources in order)");
    }

    private static Set<String> listedCodes() throws IOException {
        Set<String> codes = new TreeSet<>();
        rows().stream().map(Row::reason).filter(reason -> reason != null).forEach(codes::add);
        return codes;
    }

    private static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : sections("## 2.", "## 3.").lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            assertEquals(5, cells.length, "status | reason | HTTP effect | retried by Segment? | meaning: " + line);
            String reason = cells[1].trim();
            rows.add(new Row(unquote(cells[0].trim()), reason.equals("—") ? null : unquote(reason)));
        }
        return rows;
    }

    private static String unquote(String cell) {
        assertTrue(cell.matches("`[a-z_]+`"), "one code in backticks per cell: " + cell);
        return cell.substring(1, cell.length() - 1);
    }

    /** The text from the heading starting with {@code from} to the one starting with {@code to} (null: to the end). */
    private static String sections(String from, String to) throws IOException {
        String text = Files.readString(CONTRACT);
        int start = text.indexOf("\n" + from);
        int end = to == null ? text.length() : text.indexOf("\n" + to, start + 1);
        assertTrue(start >= 0 && end > start, "docs/CONTRACT.md has the sections " + from + " and " + to);
        return text.substring(start, end);
    }

    private static Set<String> codeLiterals() throws IOException {
        Set<String> literals = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                for (Pattern pattern : List.of(SNAKE_LITERAL, CODE_ARGUMENT)) {
                    Matcher matcher = pattern.matcher(source);
                    while (matcher.find()) {
                        literals.add(matcher.group(1));
                    }
                }
            }
        }
        return literals;
    }

    private static Set<String> goldenCodes() {
        Set<String> codes = new TreeSet<>();
        for (GoldenCase golden : GoldenCase.all()) {
            if (golden.errorCode() != null) {
                codes.add(golden.errorCode());
            }
            golden.results().forEach(result -> {
                if (result.hasNonNull("reason")) {
                    codes.add(result.path("reason").asText());
                }
            });
        }
        return codes;
    }
}
