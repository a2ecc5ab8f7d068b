package io.segmentramen.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The messageIds this instance delivered (bounded LRU, forgotten 24 h after delivery) and
 * those it is delivering right now. Best effort per warm instance: Ramen de-duplicates by message_id
 * beyond that.
 */
public final class DedupCache {

    private static final Duration TIME_TO_LIVE = Duration.ofHours(24);

    public enum Claim { ACQUIRED, ALREADY_DELIVERED, IN_FLIGHT }

    private final int capacity;
    /** Access order: a hit refreshes the entry, so eviction takes the least recently seen id. */
    private final LinkedHashMap<String, Instant> delivered = new LinkedHashMap<>(1024, 0.75f, true);
    private final Set<String> inFlight = new HashSet<>();

    public DedupCache(int capacity) {
        this.capacity = capacity;
    }

    public synchronized Claim claim(String messageId, Instant now) {
        Instant deliveredAt = delivered.get(messageId);
        if (deliveredAt != null) {
            if (deliveredAt.plus(TIME_TO_LIVE).isAfter(now)) {
                return Claim.ALREADY_DELIVERED;
            }
            delivered.remove(messageId);
        }
        return inFlight.add(messageId) ? Claim.ACQUIRED : Claim.IN_FLIGHT;
    }

    /** Ends a claim; only a delivered event is remembered, anything else may be sent again. */
    public synchronized void release(String messageId, boolean wasDelivered, Instant now) {
        inFlight.remove(messageId);
        if (!wasDelivered || capacity <= 0) {
            return;
        }
        delivered.put(messageId, now); // in access order, a key put again moves to the end
        if (delivered.size() > capacity) {
            Iterator<Map.Entry<String, Instant>> oldest = delivered.entrySet().iterator();
            while (delivered.size() > capacity && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
    }

    public synchronized int size() {
        return delivered.size();
    }
}
