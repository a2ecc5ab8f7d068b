package io.segmentramen.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** IDEMPOTENCY_EXPIRY is range-checked at start (docs/CONTRACT.md §7), only when the table is on. */
class IdempotencySettingsTest {

    record Settings(Optional<String> table, Duration expiry) implements IdempotencyConfig {
        public WhenUnreachable whenUnreachable() {
            return WhenUnreachable.deliver;
        }

        public Optional<String> endpoint() {
            return Optional.empty();
        }
    }

    @Test
    void anExpiryShorterThanSegmentsRetriesStopsTheStart() {
        assertEquals(List.of("IDEMPOTENCY_EXPIRY is PT4H: it must be from PT5H to PT8760H"),
                SettingRanges.problems(new Settings(Optional.of("table"), Duration.ofHours(4))));
        assertEquals(List.of("IDEMPOTENCY_EXPIRY is PT9000H: it must be from PT5H to PT8760H"),
                SettingRanges.problems(new Settings(Optional.of("table"), Duration.ofHours(9000))));
        assertEquals(List.of(), SettingRanges.problems(new Settings(Optional.of("table"), Duration.ofHours(24))));
    }

    @Test
    void theExpiryIsNotCheckedWhenTheTableIsOff() {
        assertEquals(List.of(), SettingRanges.problems(new Settings(Optional.empty(), Duration.ofHours(1))));
        assertEquals(List.of(), SettingRanges.problems(new Settings(Optional.of(" "), Duration.ofHours(1))));
    }
}
