package io.segmentramen.config;

import io.segmentramen.ramen.Transport;
import io.segmentramen.signing.SecureMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The function refuses to start on configuration that cannot work, naming the variable (docs/CONTRACT.md §7). */
class StartupChecksTest {

    private record Ramen(Optional<String> organizationId, Optional<String> apiKey, Optional<String> secretKey)
            implements DestinationConfig {
        static Ramen ok() {
            return new Ramen(Optional.of("org-1"), Optional.empty(), Optional.empty());
        }

        public String apiKeyHeader() {
            return "RAMEN_API_KEY";
        }

        public SecureMode secureMode() {
            return SecureMode.optional;
        }

        public String baseUrl() {
            return "https://ramen.is";
        }

        public String path() {
            return "/po.json";
        }

        public Transport transport() {
            return Transport.json;
        }

        public Duration timeout() {
            return Duration.ofSeconds(1);
        }

        public Duration deadline() {
            return Duration.ofSeconds(4);
        }

        public int maxAttempts() {
            return 3;
        }

        public int concurrency() {
            return 16;
        }

        public Duration signatureMaxAge() {
            return Duration.ofMinutes(15);
        }

        public int dedupCapacity() {
            return 50_000;
        }

        public String importAfter() {
            return "30d";
        }
    }

    private record Segment(Optional<String> sharedSecret, Optional<String> authToken, Optional<String> auth,
                           Optional<String> sharedSecretPrevious, Optional<String> authTokenPrevious, String deliveryMode)
            implements SegmentConfig {
        Segment(Optional<String> sharedSecret, Optional<String> authToken, Optional<String> auth) {
            this(sharedSecret, authToken, auth, Optional.empty(), Optional.empty(), "direct");
        }

        public boolean trustFirstElementSignature() {
            return false;
        }

        static Segment open() {
            return new Segment(Optional.empty(), Optional.empty(), Optional.empty());
        }

        public int maxBodyBytes() {
            return 6_291_456;
        }

        public int maxBatchEvents() {
            return 4_000;
        }

        public int maxEventBytes() {
            return 32_768;
        }
    }

    /** The start checks, with the secrets the two records hold as the environment would. */
    private static List<String> problems(DestinationConfig ramen, Segment segment, boolean prod) {
        Map<Secrets.Name, String> secrets = new EnumMap<>(Secrets.Name.class);
        if (ramen instanceof Ramen keys) {
            secrets.put(Secrets.Name.RAMEN_API_KEY, keys.apiKey().orElse(null));
            secrets.put(Secrets.Name.RAMEN_SECRET_KEY, keys.secretKey().orElse(null));
        }
        secrets.put(Secrets.Name.SEGMENT_SHARED_SECRET, segment.sharedSecret().orElse(null));
        secrets.put(Secrets.Name.SEGMENT_SHARED_SECRET_PREVIOUS, segment.sharedSecretPrevious().orElse(null));
        secrets.put(Secrets.Name.SEGMENT_AUTH_TOKEN, segment.authToken().orElse(null));
        secrets.put(Secrets.Name.SEGMENT_AUTH_TOKEN_PREVIOUS, segment.authTokenPrevious().orElse(null));
        return StartupChecks.problems(ramen, segment, Secrets.of(secrets), prod);
    }

    /** {@link Ramen#ok()} with some methods answering otherwise: name → value. */
    private static DestinationConfig ramenWith(Map<String, Object> overrides) {
        DestinationConfig base = Ramen.ok();
        return (DestinationConfig) java.lang.reflect.Proxy.newProxyInstance(DestinationConfig.class.getClassLoader(),
                new Class<?>[] {DestinationConfig.class}, (proxy, method, args) -> overrides.containsKey(method.getName())
                        ? overrides.get(method.getName()) : method.invoke(base, args));
    }

    /** {@link Segment} with an open entry point and some methods answering otherwise: name → value. */
    private static SegmentConfig segmentWith(Map<String, Object> overrides) {
        SegmentConfig base = Segment.open();
        return (SegmentConfig) java.lang.reflect.Proxy.newProxyInstance(SegmentConfig.class.getClassLoader(),
                new Class<?>[] {SegmentConfig.class}, (proxy, method, args) -> overrides.containsKey(method.getName())
                        ? overrides.get(method.getName()) : method.invoke(base, args));
    }

    /** Values that pass the start but make every request fail are refused at the start, naming the variable. */
    @Test
    void valuesEveryRequestWouldFailOnAreRefusedNamingTheVariable() {
        Map<String, String> expected = Map.of(
                "concurrency", "RAMEN_CONCURRENCY is 0: it must be from 1 to 256",
                "maxAttempts", "RAMEN_MAX_ATTEMPTS is 0: it must be from 1 to 10",
                "importAfter", "RAMEN_IMPORT_AFTER must be off, a duration such as 30d or 12h, or ISO-8601 such as P30D: 1w");
        Map<String, Object> bad = Map.of("concurrency", 0, "maxAttempts", 0, "importAfter", "1w");
        expected.forEach((method, problem) ->
                assertEquals(List.of(problem), problems(ramenWith(Map.of(method, bad.get(method))), WITH_SECRET, false), method));
        assertEquals(List.of(), problems(ramenWith(Map.of("importAfter", " off ")), WITH_SECRET, false));
        assertEquals(List.of(), problems(ramenWith(Map.of("importAfter", "P7D", "concurrency", 1, "maxAttempts", 1)), WITH_SECRET, false));
    }

    /** The review's values: each parses, and each would have broken every event or the Ramen client. */
    @Test
    void valuesThatWouldOverflowLaterStopTheStartNamingTheVariable() {
        Map<String, Object> values = Map.of(
                "importAfter", "400000000000d",
                "deadline", Duration.ofSeconds(40_000_000_000_000_000L),
                "timeout", Duration.ofSeconds(3_000_000));
        Map<String, String> variables = Map.of("importAfter", "RAMEN_IMPORT_AFTER", "deadline", "RAMEN_DEADLINE", "timeout", "RAMEN_TIMEOUT");
        values.forEach((method, value) -> {
            List<String> problems = problems(ramenWith(Map.of(method, value)), WITH_SECRET, false);
            assertEquals(1, problems.size(), problems::toString);
            assertTrue(problems.get(0).startsWith(variables.get(method) + " is "), problems::toString);
        });
        List<String> digits = problems(ramenWith(Map.of("importAfter", "99999999999999999999d")), WITH_SECRET, false);
        assertEquals(List.of("RAMEN_IMPORT_AFTER must be off, a duration such as 30d or 12h, or ISO-8601 such as P30D: 99999999999999999999d"),
                digits);
    }

    private static final String[] UNITS = {"ms", "s", "m", "h", "d"};

    /** A random amount of a random unit, from nothing to more than a Duration holds (null then). */
    private static Duration randomDuration(Random random) {
        long amount = random.nextLong() >>> random.nextInt(64);
        try {
            return switch (UNITS[random.nextInt(UNITS.length)]) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException tooLongForADuration) {
            return null; // the configuration library refuses it itself, naming the property
        }
    }

    /**
     * Random durations and counts for every ranged setting: each value either stops the start with one
     * problem naming its variable, or works for every event — the pipeline built as Wiring builds it
     * (the Ramen client included) delivers an identify and a track with timestamps, each as its own request.
     */
    @Test
    void everyRangedValueStopsTheStartNamingItsVariableOrWorksForEveryEvent() {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            Random random = new Random(18);
            int worked = 0;
            for (int i = 0; i < 600; i++) {
                DestinationConfig ramen = Ramen.ok();
                SegmentConfig segment = Segment.open();
                String variable;
                int which = random.nextInt(SettingRanges.DURATIONS.size() + 1 + SettingRanges.COUNTS.size());
                if (which < SettingRanges.DURATIONS.size()) {
                    Duration value = randomDuration(random);
                    if (value == null) {
                        continue;
                    }
                    variable = SettingRanges.DURATIONS.get(which).variable();
                    ramen = ramenWith(Map.of(Map.of("RAMEN_TIMEOUT", "timeout", "RAMEN_DEADLINE", "deadline",
                            "RAMEN_SIGNATURE_MAX_AGE", "signatureMaxAge").get(variable), value));
                } else if (which == SettingRanges.DURATIONS.size()) {
                    variable = "RAMEN_IMPORT_AFTER";
                    String value = (random.nextBoolean() ? Long.toString(random.nextLong() >>> random.nextInt(64))
                            : Long.toUnsignedString(random.nextLong()) + random.nextInt(1000)) + UNITS[random.nextInt(UNITS.length)];
                    ramen = ramenWith(Map.of("importAfter", value));
                } else {
                    SettingRanges.CountRange range = SettingRanges.COUNTS.get(which - SettingRanges.DURATIONS.size() - 1);
                    variable = range.variable();
                    int value = random.nextBoolean() ? random.nextInt() >> random.nextInt(32) : (int) range.max() + random.nextInt(3) - 1;
                    String method = Map.of("RAMEN_MAX_ATTEMPTS", "maxAttempts", "RAMEN_CONCURRENCY", "concurrency", "DEDUP_CAPACITY",
                            "dedupCapacity", "MAX_BODY_BYTES", "maxBodyBytes", "MAX_BATCH_EVENTS", "maxBatchEvents",
                            "SEGMENT_MAX_EVENT_BYTES", "maxEventBytes").get(variable);
                    if (method.equals("maxAttempts") || method.equals("concurrency") || method.equals("dedupCapacity")) {
                        ramen = ramenWith(Map.of(method, value));
                    } else {
                        segment = segmentWith(Map.of(method, value));
                    }
                }
                List<String> problems = StartupChecks.problems(ramen, segment, NO_SECRETS, false);
                String context = "#" + i + " " + variable + ": " + problems;
                if (!problems.isEmpty()) {
                    assertEquals(1, problems.size(), context);
                    assertTrue(problems.get(0).startsWith(variable + " "), context);
                    continue;
                }
                worked++;
                deliversEveryEvent(ramen, segment, vertx, context);
            }
            assertTrue(worked > 50, "accepted values tried: " + worked);
        } finally {
            vertx.close();
        }
    }

    private static void deliversEveryEvent(DestinationConfig ramen, SegmentConfig segment, io.vertx.core.Vertx vertx, String context) {
        Wiring wiring = new Wiring();
        java.time.Clock clock = java.time.Clock.systemUTC();
        assertDoesNotThrow(() -> wiring.ramenClient(ramen, NO_SECRETS, clock, vertx), context);
        io.segmentramen.testing.InProcess.RecordingRamen recording = new io.segmentramen.testing.InProcess.RecordingRamen();
        io.segmentramen.delivery.EventIntake intake = wiring.intake(segment, ramen,
                wiring.pipeline(ramen, segment, NO_SECRETS, recording, clock, duration -> java.util.concurrent.CompletableFuture.completedFuture(null), wiring.dedupCache(ramen)), clock);
        for (String event : List.of(io.segmentramen.bench.EventSamples.identify("u-1", "m-" + context.hashCode() + "-1"),
                io.segmentramen.bench.EventSamples.track("u-1", "m-" + context.hashCode() + "-2"))) {
            io.segmentramen.delivery.Report report = assertDoesNotThrow(() -> intake.process(
                    intake.parse(event.getBytes(java.nio.charset.StandardCharsets.UTF_8)), clock.instant(), null), context);
            assertEquals(1, report.delivered(), () -> context + " " + report.results());
        }
    }

    private static final Secrets NO_SECRETS = Secrets.of(new EnumMap<>(Secrets.Name.class));

    private static final Segment WITH_SECRET = new Segment(Optional.of("s3cret"), Optional.empty(), Optional.empty());

    @Test
    void completeConfigurationHasNoProblems() {
        assertEquals(List.of(), problems(Ramen.ok(), WITH_SECRET, true));
        assertEquals(List.of(), problems(Ramen.ok(), new Segment(Optional.empty(), Optional.of("tok"), Optional.empty()), true));
    }

    @Test
    void prodWithoutRequestAuthenticationIsRefusedNamingTheVariables() {
        List<String> problems = problems(Ramen.ok(), Segment.open(), true);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("SEGMENT_SHARED_SECRET"), problems::toString);
        assertTrue(problems.get(0).contains("SEGMENT_AUTH_TOKEN"), problems::toString);
        assertTrue(problems.get(0).contains("SEGMENT_AUTH=none"), problems::toString);
    }

    @Test
    void emptySecretsDoNotCountAsAuthentication() {
        List<String> problems = problems(Ramen.ok(), new Segment(Optional.of(""), Optional.of(""), Optional.empty()), true);
        assertTrue(problems.stream().anyMatch(p -> p.contains("SEGMENT_SHARED_SECRET")), problems::toString);
    }

    @Test
    void explicitOptOutIsAcceptedInProd() {
        assertEquals(List.of(), problems(Ramen.ok(), new Segment(Optional.empty(), Optional.empty(), Optional.of("none")), true));
        assertEquals(List.of(), problems(Ramen.ok(), new Segment(Optional.empty(), Optional.empty(), Optional.of(" NONE ")), true));
    }

    @Test
    void devAndTestMayRunOpen() {
        assertEquals(List.of(), problems(Ramen.ok(), Segment.open(), false));
    }

    @Test
    void unresolvedDynamicReferenceIsRefusedNamingTheVariable() {
        Ramen ramen = new Ramen(Optional.of("org-1"), Optional.empty(), Optional.of("{{resolve:secretsmanager:ramen:SecretString:secret}}"));
        List<String> problems = problems(ramen, WITH_SECRET, true);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("RAMEN_SECRET_KEY"), problems::toString);
        assertTrue(problems.get(0).contains("{{resolve:"), problems::toString);
    }

    @Test
    void everySecretIsCheckedForUnresolvedReferences() {
        String ref = "  {{resolve:secretsmanager:x}}";
        Ramen ramen = new Ramen(Optional.of("org-1"), Optional.of(ref), Optional.of(ref));
        List<String> problems = problems(ramen, new Segment(Optional.of(ref), Optional.of(ref), Optional.empty()), false);
        for (String variable : List.of("RAMEN_API_KEY", "RAMEN_SECRET_KEY", "SEGMENT_SHARED_SECRET", "SEGMENT_AUTH_TOKEN")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(variable)), variable + " in " + problems);
        }
    }

    @Test
    void missingOrganizationIsRefusedNamingTheVariable() {
        for (Optional<String> organization : List.of(Optional.<String>empty(), Optional.of(""), Optional.of("  "))) {
            List<String> problems = problems(new Ramen(organization, Optional.empty(), Optional.empty()), WITH_SECRET, false);
            assertEquals(1, problems.size(), problems::toString);
            assertTrue(problems.get(0).contains("RAMEN_ORGANIZATION_ID"), problems::toString);
        }
    }

    @Test
    void bufferedModeRequiresTheBearerToken() {
        Segment signatureOnly = new Segment(Optional.of("s3cret"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "buffered");
        List<String> problems = problems(Ramen.ok(), signatureOnly, false);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("SEGMENT_AUTH_TOKEN") && problems.get(0).contains("buffered"), problems::toString);

        Segment withToken = new Segment(Optional.empty(), Optional.of("tok"), Optional.empty(), Optional.empty(), Optional.empty(), "buffered");
        assertEquals(List.of(), problems(Ramen.ok(), withToken, true));
    }

    @Test
    void previousValueWithoutCurrentIsRefusedNamingTheVariable() {
        Segment halfRotated = new Segment(Optional.empty(), Optional.of("tok"), Optional.empty(), Optional.of("old"), Optional.empty(), "direct");
        List<String> problems = problems(Ramen.ok(), halfRotated, false);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("SEGMENT_SHARED_SECRET_PREVIOUS"), problems::toString);
    }

    @Test
    void previousValuesAreCheckedForUnresolvedReferences() {
        String ref = "{{resolve:secretsmanager:x}}";
        Segment rotating = new Segment(Optional.of("s"), Optional.of("t"), Optional.empty(), Optional.of(ref), Optional.of(ref), "direct");
        List<String> problems = problems(Ramen.ok(), rotating, false);
        for (String variable : List.of("SEGMENT_SHARED_SECRET_PREVIOUS", "SEGMENT_AUTH_TOKEN_PREVIOUS")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(variable)), variable + " in " + problems);
        }
    }
}
