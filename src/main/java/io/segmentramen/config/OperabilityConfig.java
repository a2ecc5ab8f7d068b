package io.segmentramen.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Operability settings (docs/CONTRACT.md §7), apart from {@link DestinationConfig} so that its implementations
 * stay as they are: RAMEN_DRY_RUN ({@code enabled} | {@code disabled}).
 */
@ConfigMapping(prefix = "ramen")
public interface OperabilityConfig {

    @WithDefault("disabled")
    DryRun dryRun();

    enum DryRun { enabled, disabled }
}
