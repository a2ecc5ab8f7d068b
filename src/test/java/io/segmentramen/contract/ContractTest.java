package io.segmentramen.contract;

import io.segmentramen.golden.GoldenCase;
import io.segmentramen.mapping.MappingTable;
import io.segmentramen.outcome.Reason;
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
 * docs/CONTRACT.md holds the only table of outcomes and reason codes (its §2), and {@link Reason}
 * the only definition of them in the code. This test reads the table and checks it against the enum
 * both ways: every Reason is a row with its status, HTTP effect and configuration-error flag, every
 * row is a Reason, and every Reason is produced by a golden case, or is in
 * {@link #WITHOUT_GOLDEN_CASE} with the reason why.
 * The README links to the contract instead of repeating its tables, and no page links outside the repository.
 */
class ContractTest {

    private static final Path CONTRACT = Path.of("docs/CONTRACT.md");
    private static final Path README = Path.of("README.md");
    /** A Markdown link's target: {@code [text](target)}. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** An event's statuses, and {@code refused} for a request refused whole (an {@code error} answer, no event status). */
    private static final Set<String> STATUSES = statuses();

    /**
     * Codes in the table that no golden case emits yet. Every entry says why; shrink this list as
     * cases are added (the test fails when an entry has a golden case, so it cannot go stale).
     */
    private static final Set<Reason> WITHOUT_GOLDEN_CASE = Set.of(
            // de-duplication is off in the golden profile (every case runs through three entry points);
            // a duplicate known to the idempotency table has its case under golden-table/
            Reason.DUPLICATE_IN_FLIGHT,
            // need a configuration other than the golden profile's, which every other case shares:
            // RAMEN_SECURE_MODE=required without a secret rejects every identified event; no credential
            // at all contradicts the credentials the golden requests carry (RequestAuthenticatorTest has it)
            Reason.SECURE_MODE_UNSIGNED, Reason.AUTH_NOT_CONFIGURED,
            // only the API Gateway way in carries a method: EventsResource is @POST, and RESTEasy answers
            // other methods itself; HostileInputTest covers it
            Reason.METHOD_NOT_ALLOWED,
            // a 6 MB body is no fixture; HostileInputTest covers it with a small MAX_BODY_BYTES
            Reason.BODY_TOO_LARGE,
            // timing and connection faults: FaultInjectionTest, FaultDeadlineTest, EventSenderTest
            Reason.RAMEN_TIMEOUT, Reason.RAMEN_UNREACHABLE, Reason.DEADLINE_EXCEEDED, Reason.INTERNAL_ERROR,
            // SQS records: SqsEntryTest, SqsAuthenticationTest
            Reason.UNAUTHENTICATED_RECORD, Reason.MALFORMED_RECORD);

    record Row(String status, String reason, String httpEffect) {
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
            assertTrue(seen.add(new Row(row.status(), row.reason(), null)), "listed twice: " + row);
        }
    }

    @Test
    void everyReasonIsARowWithItsStatusAndHttpEffect() throws IOException {
        List<Row> rows = rows();
        List<String> wrong = new ArrayList<>();
        for (Reason reason : Reason.values()) {
            Row expected = new Row(reason.tableStatus(), reason.code(), reason.httpEffect());
            if (!rows.contains(expected)) {
                wrong.add(reason + " → " + rows.stream().filter(row -> reason.code().equals(row.reason())).toList()
                        + ", expected " + expected);
            }
        }
        assertEquals(List.of(), wrong, "Reasons that docs/CONTRACT.md's outcome table lists differently or not at all");
    }

    @Test
    void everyRowIsAReason() throws IOException {
        Set<Row> reasons = new HashSet<>();
        for (Reason reason : Reason.values()) {
            reasons.add(new Row(reason.tableStatus(), reason.code(), reason.httpEffect()));
        }
        List<Row> unknown = rows().stream().filter(row -> row.reason() != null && !reasons.contains(row)).toList();
        assertEquals(List.of(), unknown, "rows of docs/CONTRACT.md's outcome table that no Reason defines");
    }

    /** The contract's sentence naming the configuration errors lists exactly the Reasons flagged so. */
    @Test
    void theConfigurationErrorsAreTheContractsList() throws IOException {
        Matcher sentence = Pattern.compile("`ERROR` for configuration errors \\(([^)]*)\\)").matcher(sections("## 2.", "## 3."));
        assertTrue(sentence.find(), "docs/CONTRACT.md §2 names the configuration errors");
        Set<String> listed = new TreeSet<>();
        Matcher code = BACKTICKED.matcher(sentence.group(1));
        while (code.find()) {
            listed.add(code.group(1));
        }
        Set<String> flagged = new TreeSet<>();
        for (Reason reason : Reason.values()) {
            if (reason.configurationError()) {
                flagged.add(reason.code());
            }
        }
        assertEquals(flagged, listed);
    }

    @Test
    void everyReasonHasAGoldenCase() {
        Set<Reason> produced = goldenReasons();
        Set<Reason> missing = new TreeSet<>();
        for (Reason reason : Reason.values()) {
            if (!produced.contains(reason) && !WITHOUT_GOLDEN_CASE.contains(reason)) {
                missing.add(reason);
            }
        }
        assertEquals(Set.of(), missing, "Reasons that no golden case produces: add a case folder under src/test/resources/golden");
        Set<Reason> stale = new TreeSet<>(WITHOUT_GOLDEN_CASE);
        stale.retainAll(produced);
        assertEquals(Set.of(), stale, "these now have a golden case: remove them from WITHOUT_GOLDEN_CASE");
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
            rows.add(new Row(unquote(cells[0].trim()), reason.equals("—") ? null : unquote(reason), cells[2].trim()));
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

    /**
     * The Reasons the golden cases produce: a whole request's error code (a refusal, or a batch
     * failed whole) and each result's status and reason.
     */
    private static Set<Reason> goldenReasons() {
        Set<Reason> reasons = new TreeSet<>();
        for (GoldenCase golden : java.util.stream.Stream.concat(GoldenCase.all().stream(), GoldenCase.withTable().stream()).toList()) {
            for (Reason reason : Reason.values()) {
                if (reason.httpStatus() != 0 && reason.code().equals(golden.errorCode())) {
                    assertEquals(reason.httpStatus(), golden.httpStatus(), golden + ": the HTTP status of " + reason);
                    reasons.add(reason);
                }
            }
            golden.results().forEach(result -> {
                for (Reason reason : Reason.values()) {
                    if (reason.status() != null && reason.tableStatus().equals(result.path("status").asText())
                            && reason.code().equals(result.path("reason").asText())) {
                        reasons.add(reason);
                    }
                }
            });
        }
        return reasons;
    }
}
