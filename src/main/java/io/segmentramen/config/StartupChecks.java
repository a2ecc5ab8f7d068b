package io.segmentramen.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses to start on configuration that cannot work, naming the environment variable: a missing
 * organization, a secret that is still an unresolved {@code {{resolve:...}}} reference (what
 * {@code sam local} passes), or, in prod, an HTTP entry point nobody authenticates.
 */
@Singleton
public class StartupChecks {

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    void onStart(@Observes StartupEvent event, DestinationConfig ramen, SegmentConfig segment) {
        List<String> problems = problems(ramen, segment, ConfigUtils.getProfiles().contains("prod") && LaunchMode.current() == LaunchMode.NORMAL);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("segment-ramen-destination cannot start: " + String.join("; ", problems));
        }
        if (segment.sharedSecret().filter(s -> !s.isEmpty()).isEmpty() && segment.authToken().filter(s -> !s.isEmpty()).isEmpty()) {
            LOG.warn("request authentication is off (SEGMENT_AUTH=none): anyone who can reach POST /events can have identities signed");
        }
    }

    static List<String> problems(DestinationConfig ramen, SegmentConfig segment, boolean prod) {
        List<String> problems = new ArrayList<>();
        if (ramen.organizationId().filter(id -> !id.isBlank()).isEmpty()) {
            problems.add("RAMEN_ORGANIZATION_ID is not set (property ramen.organization-id): it is your Ramen organization id, required");
        }
        Map<String, Optional<String>> secrets = Map.of(
                "RAMEN_API_KEY", ramen.apiKey(),
                "RAMEN_SECRET_KEY", ramen.secretKey(),
                "SEGMENT_SHARED_SECRET", segment.sharedSecret(),
                "SEGMENT_AUTH_TOKEN", segment.authToken());
        secrets.forEach((name, value) -> {
            if (value.filter(v -> v.trim().startsWith("{{resolve:")).isPresent()) {
                problems.add(name + " is an unresolved CloudFormation dynamic reference ({{resolve:...}}); pass the real value (sam local does not resolve them)");
            }
        });
        boolean authConfigured = segment.sharedSecret().filter(s -> !s.isEmpty()).isPresent()
                || segment.authToken().filter(s -> !s.isEmpty()).isPresent()
                || segment.auth().filter(mode -> mode.trim().equalsIgnoreCase("none")).isPresent();
        if (prod && !authConfigured) {
            problems.add("the HTTP entry point is unauthenticated: set SEGMENT_SHARED_SECRET or SEGMENT_AUTH_TOKEN, or SEGMENT_AUTH=none to opt out explicitly");
        }
        return problems;
    }
}
