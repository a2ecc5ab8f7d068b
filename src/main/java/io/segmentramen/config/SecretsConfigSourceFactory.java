package io.segmentramen.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.EnvConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Adds the secrets that {@link SecretsSource} reads from the Parameters and Secrets extension to the
 * runtime configuration, under their environment variable names (RAMEN_API_KEY → ramen.api-key by
 * the usual environment-variable rules), so every consumer reads them as if they were set in the
 * environment. Registered in META-INF/services and not static-init safe: Quarkus calls it when it
 * builds the runtime configuration, never at build time or into a SnapStart snapshot.
 */
public class SecretsConfigSourceFactory implements ConfigSourceFactory {

    /** Just above the environment (300); the two never both hold a name (SecretsSource refuses that). */
    static final int ORDINAL = 301;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> values = SecretsSource.load(System.getenv(), SecretsSource::httpGet);
        if (values.isEmpty()) {
            return List.of();
        }
        return List.of(new EnvConfigSource(values, ORDINAL) {
            @Override
            public String getName() {
                return "ParametersAndSecretsExtension";
            }
        });
    }
}
