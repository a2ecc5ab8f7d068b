package io.segmentramen.golden;

import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.RamenProfile;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The configuration of the golden files on both runtimes: their organization, a bearer token and a
 * shared secret (every request carries the token, {@link #HEADERS}, unless its case says otherwise),
 * and no de-duplication (every case goes through several entry points with the same messageIds).
 * Ramen is the WireMock {@link FakeRamen}, so that the JVM and the packaged artefact are checked alike.
 */
public class GoldenProfile extends RamenProfile {

    /** The golden files' "now": their timestamps are a moment before it. */
    static final Instant GOLDEN_NOW = Instant.parse("2024-05-01T12:00:00Z");
    static final String TOKEN = "golden-token";
    /** The key of the X-Signature in refuse_batch_needs_token/expect.json. */
    static final String SHARED_SECRET = "golden-shared-secret";
    /** What every golden request carries unless its case's {@code headers} say otherwise. */
    public static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + TOKEN);

    public GoldenProfile() {
        super(FakeRamen.class,
                "ramen.organization-id", "sandbox-org",
                "SEGMENT_AUTH_TOKEN", TOKEN,
                "SEGMENT_SHARED_SECRET", SHARED_SECRET,
                "ramen.dedup-capacity", "0",
                "ramen.import-after", importAfter() + "s");
    }

    /**
     * Both runtimes run on the real clock (the packaged artefact has no test clock), so the import
     * rule's threshold is moved by the time since {@link #GOLDEN_NOW}: an event counts as history
     * exactly when it is more than RAMEN_IMPORT_AFTER's default, 30 days, older than the golden "now".
     */
    private static long importAfter() {
        return Duration.between(GOLDEN_NOW, Instant.now()).plus(Duration.ofDays(30)).toSeconds();
    }
}
