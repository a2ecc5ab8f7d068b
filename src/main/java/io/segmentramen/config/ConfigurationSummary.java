package io.segmentramen.config;

import io.quarkus.runtime.StartupEvent;
import io.segmentramen.auth.AuthSettings;
import io.segmentramen.ramen.BuildVersion;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Optional;

/**
 * One line at start (docs/CONTRACT.md §8) saying how this instance is configured: organization, request
 * authentication, Secure Mode, Ramen endpoint and transport, limits. Secrets appear only as
 * "set"/"unset"; the endpoint loses any user info and query.
 */
@Singleton
public class ConfigurationSummary {

    private static final Logger LOG = Logger.getLogger(ConfigurationSummary.class);

    void onStart(@Observes StartupEvent event, DestinationConfig ramen, SegmentConfig segment, Secrets secrets,
                 OperabilityConfig operability) {
        LOG.info(summary(ramen, segment, secrets, operability.dryRun() == OperabilityConfig.DryRun.enabled));
    }

    public static String summary(DestinationConfig ramen, SegmentConfig segment, Secrets secrets, boolean dryRun) {
        return "configuration: version=" + BuildVersion.VERSION
                + ", organization=" + ramen.organizationId().orElse("(unset)")
                + ", auth=" + authMode(Wiring.authSettings(segment, secrets))
                + ", secureMode=" + ramen.secureMode() + " (RAMEN_SECRET_KEY " + setOrUnset(secrets.get(Secrets.Name.RAMEN_SECRET_KEY)) + ")"
                + ", ramenEndpoint=" + endpoint(ramen.baseUrl(), ramen.path())
                + ", transport=" + ramen.transport()
                + ", apiKey=" + setOrUnset(secrets.get(Secrets.Name.RAMEN_API_KEY)) + " (header " + ramen.apiKeyHeader() + ")"
                + ", dryRun=" + (dryRun ? "enabled" : "disabled")
                + ", limits: timeout=" + ramen.timeout().toMillis() + "ms deadline=" + ramen.deadline().toMillis() + "ms"
                + " maxAttempts=" + ramen.maxAttempts() + " concurrency=" + ramen.concurrency()
                + " signatureMaxAge=" + ramen.signatureMaxAge().toSeconds() + "s dedupCapacity=" + ramen.dedupCapacity()
                + " maxBodyBytes=" + segment.maxBodyBytes() + " maxBatchEvents=" + segment.maxBatchEvents()
                + " maxEventBytes=" + segment.maxEventBytes()
                + ", importAfter=" + ramen.importAfter().trim();
    }

    static String authMode(AuthSettings auth) {
        if (auth.hasSharedSecret() && auth.hasToken()) {
            return "x-signature+bearer";
        }
        if (auth.hasSharedSecret()) {
            return "x-signature";
        }
        if (auth.hasToken()) {
            return "bearer";
        }
        return auth.explicitlyOpen() ? "none" : "unconfigured";
    }

    static String endpoint(String baseUrl, String path) {
        try {
            URI uri = URI.create(baseUrl);
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            return uri.getScheme() + "://" + uri.getHost() + port + (uri.getPath() == null ? "" : uri.getPath()) + path;
        } catch (IllegalArgumentException e) {
            return "(invalid RAMEN_BASE_URL)";
        }
    }

    private static String setOrUnset(Optional<String> value) {
        return value.filter(v -> !v.isBlank()).isPresent() ? "set" : "unset";
    }
}
