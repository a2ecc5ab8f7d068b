package io.segmentramen.config;

import io.segmentramen.ramen.Transport;
import io.segmentramen.signing.SecureMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC §7/§8: the function refuses to start on configuration that cannot work, naming the variable. */
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

    /** Values that pass the start but make every request fail are refused at the start, naming the variable. */
    @Test
    void valuesEveryRequestWouldFailOnAreRefusedNamingTheVariable() {
        Map<String, String> expected = Map.of(
                "concurrency", "RAMEN_CONCURRENCY is 0: at least 1 request to Ramen must be allowed in flight",
                "maxAttempts", "RAMEN_MAX_ATTEMPTS is 0: each event needs at least 1 attempt",
                "importAfter", "RAMEN_IMPORT_AFTER must be off, a duration such as 30d or 12h, or ISO-8601 such as P30D: 1w");
        Map<String, Object> bad = Map.of("concurrency", 0, "maxAttempts", 0, "importAfter", "1w");
        expected.forEach((method, problem) ->
                assertEquals(List.of(problem), problems(ramenWith(Map.of(method, bad.get(method))), WITH_SECRET, false), method));
        assertEquals(List.of(), problems(ramenWith(Map.of("importAfter", " off ")), WITH_SECRET, false));
        assertEquals(List.of(), problems(ramenWith(Map.of("importAfter", "P7D", "concurrency", 1, "maxAttempts", 1)), WITH_SECRET, false));
    }

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
