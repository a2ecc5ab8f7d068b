package io.segmentramen.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Each secret is read exactly as stored, from the environment (how deployments pass them) and from
 * any other configuration source (how tests do), through the configuration library's own interceptor
 * chain — the one that would otherwise expand {@code ${…}}, fold {@code $$} and {@code \$}, and drop
 * a value with an unclosed <code>${</code>.
 */
class SecretsTest {

    /** Every character AWS's get-random-password may emit by default: printable ASCII but the space. */
    private static final String PASSWORD_ALPHABET;

    static {
        StringBuilder alphabet = new StringBuilder();
        for (char c = '!'; c <= '~'; c++) {
            alphabet.append(c);
        }
        PASSWORD_ALPHABET = alphabet.toString();
    }

    private static final List<String> ODD_VALUES = List.of("$", "$$", "a$$b", "${HOME}", "x${HOME}y", "${", "k3y${abc", "\\", "\\$",
            "\\${HOME}", "}", "{}", "${}", "$${HOME}", "${HOME:fallback}", "${missing}", "${::x}", "tok${HOME}x$$y\\$z}",
            " spaced ${HOME} ");

    private static SmallRyeConfig environment(Map<String, String> variables) {
        Map<String, String> env = new HashMap<>(variables);
        env.put("HOME", "/home/someone");
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withSources(new EnvConfigSource(env, 300)).build();
    }

    private static SmallRyeConfig properties(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("HOME", "/home/someone");
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withSources(new PropertiesConfigSource(all, "test-profile", 600)).build();
    }

    private static void assertReadLiterally(Map<Secrets.Name, String> stored) {
        Map<String, String> variables = new HashMap<>();
        Map<String, String> properties = new HashMap<>();
        stored.forEach((name, value) -> {
            variables.put(name.name(), value);
            properties.put(name.name(), value);
        });
        for (SmallRyeConfig config : List.of(environment(variables), properties(properties))) {
            Secrets secrets = Secrets.read(config);
            stored.forEach((name, value) -> assertEquals(Optional.of(value), secrets.get(name), name + " from " + config.getConfigSources()));
        }
    }

    @Test
    void oddValuesAreReadAsStoredFromEveryKindOfSource() {
        for (String value : ODD_VALUES) {
            Map<Secrets.Name, String> stored = new EnumMap<>(Secrets.Name.class);
            for (Secrets.Name name : Secrets.Name.values()) {
                stored.put(name, name.ordinal() + value);
            }
            assertReadLiterally(stored);
        }
    }

    /** The test's configuration is the real thing: an ordinary read of the same value is changed. */
    @Test
    void anOrdinaryReadOfTheSameConfigurationWouldChangeTheValues() {
        SmallRyeConfig config = environment(Map.of("SEGMENT_AUTH_TOKEN", "tok${HOME}x$$y", "RAMEN_SECRET_KEY", "k3y${abc"));
        assertEquals(Optional.of("tok/home/someonex$y"), config.getOptionalValue("segment.auth-token", String.class));
        assertNotEquals("k3y${abc", config.getConfigValue("ramen.secret-key").getValue());
        Secrets secrets = Secrets.read(config);
        assertEquals(Optional.of("tok${HOME}x$$y"), secrets.get(Secrets.Name.SEGMENT_AUTH_TOKEN));
        assertEquals(Optional.of("k3y${abc"), secrets.get(Secrets.Name.RAMEN_SECRET_KEY));
    }

    /** Random passwords over get-random-password's default alphabet, fixed seeds: each is read as stored. */
    @Test
    void randomGeneratedPasswordsAreReadAsStored() {
        for (long seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            Map<Secrets.Name, String> stored = new EnumMap<>(Secrets.Name.class);
            for (Secrets.Name name : Secrets.Name.values()) {
                StringBuilder password = new StringBuilder();
                int length = 1 + random.nextInt(64);
                for (int i = 0; i < length; i++) {
                    password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
                }
                stored.put(name, password.toString());
            }
            assertReadLiterally(stored);
        }
    }

    @Test
    void absentAndEmptyValuesAreUnsetAndNoValueIsEverPrinted() {
        Secrets secrets = Secrets.read(environment(Map.of("RAMEN_API_KEY", "", "SEGMENT_AUTH_TOKEN", "t0k${")));
        assertEquals(Optional.empty(), secrets.get(Secrets.Name.RAMEN_API_KEY));
        assertEquals(Optional.empty(), secrets.get(Secrets.Name.RAMEN_SECRET_KEY));
        assertEquals("Secrets[RAMEN_API_KEY=unset, RAMEN_SECRET_KEY=unset, SEGMENT_SHARED_SECRET=unset, SEGMENT_SHARED_SECRET_PREVIOUS=unset,"
                + " SEGMENT_AUTH_TOKEN=set, SEGMENT_AUTH_TOKEN_PREVIOUS=unset]", secrets.toString());
        assertFalse(secrets.toString().contains("t0k"));
    }

    /**
     * The configuration mappings refuse unknown properties under their prefixes: secrets are named by
     * their variables alone, so they never are one, whichever source holds them.
     */
    @Test
    void theMappingsAcceptTheSecretsFromTheEnvironmentAndFromAnyOtherSource() {
        Map<String, String> secrets = new HashMap<>();
        for (Secrets.Name name : Secrets.Name.values()) {
            secrets.put(name.name(), "v${");
        }
        Map<String, String> required = Map.of("segment.delivery-mode", "direct", "segment.max-body-bytes", "1",
                "segment.max-batch-events", "1", "ramen.dedup-capacity", "1");
        for (var source : List.of(new EnvConfigSource(secrets, 300), new PropertiesConfigSource(secrets, "system-properties", 400))) {
            SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withValidateUnknown(true)
                    .withConverter(Duration.class, 100, new DurationConverter()).withMapping(SegmentConfig.class).withMapping(DestinationConfig.class)
                    .withSources(source, new PropertiesConfigSource(required, "defaults", 100)).build();
            assertEquals(Optional.of("v${"), Secrets.read(config).get(Secrets.Name.SEGMENT_AUTH_TOKEN), source.getName());
        }
    }
}
