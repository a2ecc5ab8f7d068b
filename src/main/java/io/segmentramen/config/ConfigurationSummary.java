package io.segmentramen.config;

import io.quarkus.runtime.StartupEvent;
import io.segmentramen.ramen.BuildVersion;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Optional;

/**
 * One line at start (SPEC §14) saying how this instance is configured: organization, request
 * authentication, Secure Mode, Ramen endpoint and transport, limits. Secrets appear only as
 * "set"/"unset"; the endpoint loses any user info and query.
 */
@Singleton
public class ConfigurationSummary {

    private static final Logger LOG = Logger.getLogger(ConfigurationSummary.class);

    void onStart(@Observes StartupEvent event, DestinationConfig ramen, SegmentConfig segment, OperabilityConfig operability) {
        LOG.info(summary(ramen, segment, operability.dryRun() == OperabilityConfig.DryRun.enabled));
    }

    public static String summary(DestinationConfig ramen, SegmentConfig segment, boolean dryRun) {
        return "configuration: version=" + BuildVersion.VERSION
                + ", organization=" + ramen.organizationId().orElse("(unset)")
                + ", auth=" + authMode(segment)
                + ", secureMode=" + ramen.secureMode() + " (RAMEN_SECRET_KEY " + setOrUnset(ramen.secretKey()) + ")"
                + ", ramenEndpoint=" + endpoint(ramen.baseUrl(), ramen.path())
                + ", transport=" + ramen.transport()
                + ", apiKey=" + setOrUnset(ramen.apiKey()) + " (header " + ramen.apiKeyHeader() + ")"
                + ", dryRun=" + (dryRun ? "enabled" : "disabled")
                + ", limits: timeout=" + ramen.timeout().toMillis() + "ms deadline=" + ramen.deadline().toMillis() + "ms"
                + " maxAttempts=" + ramen.maxAttempts() + " concurrency=" + ramen.concurrency()
                + " signatureMaxAge=" + ramen.signatureMaxAge().toSeconds() + "s dedupCapacity=" + ramen.dedupCapacity()
                + " maxBodyBytes=" + segment.maxBodyBytes() + " maxBatchEvents=" + segment.maxBatchEvents()
                + " maxEventBytes=" + segment.maxEventBytes()
                + ", importAfter=" + ramen.importAfter().trim();
    }

    static String authMode(SegmentConfig segment) {
        boolean secret = isSet(segment.sharedSecret());
        boolean token = isSet(segment.authToken());
        if (secret && token) {
            return "x-signature+bearer";
        }
        if (secret) {
            return "x-signature";
        }
        if (token) {
            return "bearer";
        }
        return segment.auth().filter(mode -> mode.trim().equalsIgnoreCase("none")).isPresent() ? "none" : "unconfigured";
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

    private static boolean isSet(Optional<String> value) {
        return value.filter(v -> !v.isBlank()).isPresent();
    }

    private static String setOrUnset(Optional<String> value) {
        return isSet(value) ? "set" : "unset";
    }
}
