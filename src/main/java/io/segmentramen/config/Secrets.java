package io.segmentramen.config;

import io.smallrye.config.Expressions;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every secret the application reads, listed once ({@link Name}), and their values, taken literally.
 * <p>
 * In deployments each one is an environment variable that CloudFormation resolved from a dynamic
 * reference ({@code {{resolve:secretsmanager:...}}}) when it deployed the function; locally and in
 * tests any other configuration source (a system property, a test profile) may set it too, under the
 * same name. Unlike the other settings, a secret has no lower-case property name such as
 * {@code ramen.api-key}: those belong to the configuration mappings, which process expressions.
 * <p>
 * Whatever the source, a value is used exactly as stored: these reads switch the configuration
 * library's expression processing off, which would otherwise turn {@code $$} and {@code \$} into
 * {@code $}, replace {@code ${HOME}} by another variable's value, and drop a value holding a
 * <code>${</code> without its <code>}</code> — characters that generated passwords (AWS's
 * {@code get-random-password} among them) contain. An empty value is unset. The values never reach a
 * log line: {@link #toString()} says only which are set.
 */
public final class Secrets {

    /** The secrets, by environment variable name. */
    public enum Name {
        RAMEN_API_KEY,
        RAMEN_SECRET_KEY,
        SEGMENT_SHARED_SECRET,
        SEGMENT_SHARED_SECRET_PREVIOUS,
        SEGMENT_AUTH_TOKEN,
        SEGMENT_AUTH_TOKEN_PREVIOUS
    }

    private final Map<Name, String> values;

    private Secrets(Map<Name, String> values) {
        this.values = new EnumMap<>(Name.class);
        values.forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                this.values.put(name, value);
            }
        });
    }

    /** Each secret as the configuration holds it, with no expression processing. */
    public static Secrets read(Config config) {
        return Expressions.withoutExpansion(() -> {
            Map<Name, String> values = new EnumMap<>(Name.class);
            for (Name name : Name.values()) {
                ConfigValue value = config.getConfigValue(name.name());
                values.put(name, value == null ? null : value.getValue());
            }
            return new Secrets(values);
        });
    }

    /** Given values (tests, tools); null or empty values are unset. */
    public static Secrets of(Map<Name, String> values) {
        return new Secrets(values);
    }

    public Optional<String> get(Name name) {
        return Optional.ofNullable(values.get(name));
    }

    @Override
    public String toString() {
        return Stream.of(Name.values()).map(name -> name + "=" + (values.containsKey(name) ? "set" : "unset"))
                .collect(Collectors.joining(", ", "Secrets[", "]"));
    }
}
