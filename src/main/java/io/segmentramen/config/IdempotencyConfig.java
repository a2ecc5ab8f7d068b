package io.segmentramen.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The optional idempotency table (docs/CONTRACT.md §7): IDEMPOTENCY_TABLE (its name; unset or empty =
 * off, no client built), IDEMPOTENCY_EXPIRY (how long a record is kept), IDEMPOTENCY_WHEN_UNREACHABLE
 * ({@code deliver}, fail-open, or {@code fail}), IDEMPOTENCY_ENDPOINT (another DynamoDB endpoint, for
 * local runs and tests only).
 */
@ConfigMapping(prefix = "idempotency")
public interface IdempotencyConfig {

    Optional<String> table();

    @WithDefault("24h")
    Duration expiry();

    @WithDefault("deliver")
    WhenUnreachable whenUnreachable();

    Optional<String> endpoint();

    enum WhenUnreachable { deliver, fail }

    /** True when a table is named. */
    default boolean enabled() {
        return table().filter(name -> !name.isBlank()).isPresent();
    }
}
