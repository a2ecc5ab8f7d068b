package io.segmentramen.config;

import io.quarkus.runtime.LaunchMode;
import io.segmentramen.auth.AuthSettings;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to start on configuration that cannot work, naming the environment variable: a missing
 * organization, a secret that is still an unresolved {@code {{resolve:...}}} reference (what
 * {@code sam local} passes), a number outside its range ({@link SettingRanges}: every request would
 * fail on it), or, in prod, an HTTP entry point nobody authenticates.
 */
@Singleton
public class StartupChecks {

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    void onStart(@Observes StartupEvent event, DestinationConfig ramen, SegmentConfig segment, Secrets secrets, IdempotencyConfig idempotency) {
        List<String> problems = problems(ramen, segment, secrets,
                ConfigUtils.getProfiles().contains("prod") && LaunchMode.current() == LaunchMode.NORMAL);
        problems.addAll(SettingRanges.problems(idempotency));
        if (idempotency.enabled() && IdempotencyClients.region().isEmpty()) {
            problems.add(IdempotencyClients.REGION_MISSING);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("segment-ramen-destination cannot start: " + String.join("; ", problems));
        }
        AuthSettings auth = Wiring.authSettings(segment, secrets);
        if (auth.open()) {
            LOG.warn("request authentication is off (SEGMENT_AUTH=none): anyone who can reach POST /events can have identities signed");
        }
        if (auth.hasSharedSecret() && auth.trustFirstElementSignature()) {
            LOG.warn("SEGMENT_TRUST_FIRST_ELEMENT_SIGNATURE=true: arrays signed over their first event only are accepted,"
                    + " so whoever captured one signed request can append forged events to it; use SEGMENT_AUTH_TOKEN instead");
        }
    }

    static List<String> problems(DestinationConfig ramen, SegmentConfig segment, Secrets secrets, boolean prod) {
        List<String> problems = new ArrayList<>();
        if (ramen.organizationId().filter(id -> !id.isBlank()).isEmpty()) {
            problems.add("RAMEN_ORGANIZATION_ID is not set (property ramen.organization-id): it is your Ramen organization id, required");
        }
        for (Secrets.Name name : Secrets.Name.values()) {
            if (secrets.get(name).filter(v -> v.trim().startsWith("{{resolve:")).isPresent()) {
                problems.add(name + " is an unresolved CloudFormation dynamic reference ({{resolve:...}}); pass the real value (sam local does not resolve them)");
            }
        }
        AuthSettings auth = Wiring.authSettings(segment, secrets);
        if (prod && !auth.configured() && !auth.explicitlyOpen()) {
            problems.add("the HTTP entry point is unauthenticated: set SEGMENT_SHARED_SECRET or SEGMENT_AUTH_TOKEN, or SEGMENT_AUTH=none to opt out explicitly");
        }
        auth.previousWithoutCurrent().ifPresent(name -> problems.add(name + " is set without its current value ("
                + name.replace("_PREVIOUS", "") + "): during a rotation the new value is current and the old one previous"));
        problems.addAll(SettingRanges.problems(ramen, segment));
        if (segment.deliveryMode().trim().equalsIgnoreCase("buffered") && !auth.hasToken()) {
            problems.add("buffered mode (DELIVERY_MODE=buffered) requires SEGMENT_AUTH_TOKEN: the route's authorizer and the queue consumer check it");
        }
        return problems;
    }
}
