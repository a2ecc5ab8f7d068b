package io.segmentramen.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Settings of the inbound side: request authentication and request limits (docs/CONTRACT.md §6, §7). The shared
 * secrets and tokens are not here: {@link Secrets} reads them literally.
 */
@ConfigMapping(prefix = "segment")
public interface SegmentConfig {

    /** docs/CONTRACT.md §6: accept arrays signed over their first element only (a weakness, logged at start). */
    @WithDefault("false")
    boolean trustFirstElementSignature();

    /**
     * {@code direct} or {@code buffered} (env DELIVERY_MODE); buffered mode requires the bearer token.
     * Default in application.properties, beside its variable (the one place it is written).
     */
    String deliveryMode();

    /** {@code none} is the explicit opt-out of request authentication. */
    Optional<String> auth();

    /** Default in application.properties, beside its variable (the one place it is written). */
    int maxBodyBytes();

    /** Default in application.properties, beside its variable (the one place it is written). */
    int maxBatchEvents();

    @WithDefault("32768")
    int maxEventBytes();
}
