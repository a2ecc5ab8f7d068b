package io.segmentramen.delivery;

import io.segmentramen.delivery.DedupCache.Claim;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Deduplication (docs/CONTRACT.md §2, {@code duplicate} and {@code duplicate_in_flight}): delivered
 * messageIds (bounded, 24 h) and those in flight.
 */
class DedupCacheTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private static void deliver(DedupCache cache, String messageId, Instant at) {
        assertEquals(Claim.ACQUIRED, cache.claim(messageId, at));
        cache.release(messageId, true, at);
    }

    @Test
    void deliveredIsRememberedInFlightIsExclusive() {
        DedupCache cache = new DedupCache(10);
        assertEquals(Claim.ACQUIRED, cache.claim("m1", T0));
        assertEquals(Claim.IN_FLIGHT, cache.claim("m1", T0), "a concurrent request carrying the same event");
        cache.release("m1", true, T0);
        assertEquals(Claim.ALREADY_DELIVERED, cache.claim("m1", T0.plusSeconds(1)));
        assertEquals(1, cache.size());
    }

    @Test
    void notDeliveredIsForgottenSoThatItCanBeSentAgain() {
        DedupCache cache = new DedupCache(10);
        assertEquals(Claim.ACQUIRED, cache.claim("m1", T0));
        cache.release("m1", false, T0);
        assertEquals(Claim.ACQUIRED, cache.claim("m1", T0), "a failed event must be retried");
        assertEquals(0, cache.size());
    }

    @Test
    void capacityEvictsTheOldestDelivery() {
        DedupCache cache = new DedupCache(3);
        for (int i = 1; i <= 4; i++) {
            deliver(cache, "m" + i, T0.plusSeconds(i));
        }
        assertEquals(3, cache.size());
        assertEquals(Claim.ACQUIRED, cache.claim("m1", T0.plusSeconds(10)), "the oldest was evicted");
        for (int i = 2; i <= 4; i++) {
            assertEquals(Claim.ALREADY_DELIVERED, cache.claim("m" + i, T0.plusSeconds(10)));
        }
    }

    @Test
    void deliveredAgainMovesToTheYoungEnd() {
        DedupCache cache = new DedupCache(2);
        deliver(cache, "m1", T0);
        deliver(cache, "m2", T0.plusSeconds(1));
        cache.release("m1", true, T0.plusSeconds(2));
        deliver(cache, "m3", T0.plusSeconds(3));
        assertEquals(Claim.ALREADY_DELIVERED, cache.claim("m1", T0.plusSeconds(4)));
        assertEquals(Claim.ACQUIRED, cache.claim("m2", T0.plusSeconds(4)));
    }

    @Test
    void aDuplicateHitRefreshesTheEntrySoEvictionIsLeastRecentlyUsed() {
        DedupCache cache = new DedupCache(2);
        deliver(cache, "m1", T0);
        deliver(cache, "m2", T0.plusSeconds(1));
        assertEquals(Claim.ALREADY_DELIVERED, cache.claim("m1", T0.plusSeconds(2)), "a Segment retry of m1");
        deliver(cache, "m3", T0.plusSeconds(3));
        assertEquals(Claim.ALREADY_DELIVERED, cache.claim("m1", T0.plusSeconds(4)), "m1 was used most recently and stays");
        assertEquals(Claim.ACQUIRED, cache.claim("m2", T0.plusSeconds(4)), "m2 was the least recently used and went");
    }

    @Test
    void entriesExpireAfter24Hours() {
        DedupCache cache = new DedupCache(10);
        deliver(cache, "m1", T0);
        assertEquals(Claim.ALREADY_DELIVERED, cache.claim("m1", T0.plus(Duration.ofHours(24)).minusMillis(1)));
        assertEquals(Claim.ACQUIRED, cache.claim("m1", T0.plus(Duration.ofHours(24))));
        assertEquals(0, cache.size(), "the expired entry is dropped");
    }

    @Test
    void zeroCapacityRemembersNothingButStillGuardsInFlight() {
        DedupCache cache = new DedupCache(0);
        assertEquals(Claim.ACQUIRED, cache.claim("m1", T0));
        assertEquals(Claim.IN_FLIGHT, cache.claim("m1", T0));
        cache.release("m1", true, T0);
        assertEquals(Claim.ACQUIRED, cache.claim("m1", T0));
        assertEquals(0, cache.size());
    }
}
