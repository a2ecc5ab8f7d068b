package io.segmentramen.config;

import io.segmentramen.ramen.Transport;
import io.segmentramen.signing.SecureMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/**
 * The Ramen-side settings of docs/CONTRACT.md §7, secrets aside ({@link Secrets} reads those literally). Environment
 * variables map onto these properties (RAMEN_ORGANIZATION_ID → ramen.organization-id); MAX_BODY_BYTES,
 * MAX_BATCH_EVENTS, DEDUP_CAPACITY and DELIVERY_MODE are bound in application.properties because their
 * names carry no prefix, and their defaults are written there only, beside the variable.
 */
@ConfigMapping(prefix = "ramen")
public interface DestinationConfig {

    /** Required; checked at start-up by {@link StartupChecks} so the message names the variable. */
    Optional<String> organizationId();

    @WithDefault("RAMEN_API_KEY")
    String apiKeyHeader();

    @WithDefault("optional")
    SecureMode secureMode();

    @WithDefault("https://ramen.is")
    String baseUrl();

    @WithDefault("/po.json")
    String path();

    @WithDefault("json")
    Transport transport();

    @WithDefault("1s")
    Duration timeout();

    @WithDefault("4s")
    Duration deadline();

    @WithDefault("3")
    int maxAttempts();

    @WithDefault("16")
    int concurrency();

    @WithDefault("15m")
    Duration signatureMaxAge();

    /** RAMEN_IMPORT_AFTER: events older than this are sent with import: true; {@code off} disables the age rule. */
    @WithDefault("30d")
    String importAfter();

    /** Default in application.properties, beside its variable DEDUP_CAPACITY (the one place it is written). */
    @WithName("dedup-capacity")
    int dedupCapacity();
}
