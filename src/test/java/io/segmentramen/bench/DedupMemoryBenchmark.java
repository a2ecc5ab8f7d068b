package io.segmentramen.bench;

import io.segmentramen.delivery.DedupCache;

import java.time.Instant;
import java.util.UUID;

/**
 * Heap held by a full deduplication cache (bench/README.md, "Memory size on Lambda"): DEDUP_CAPACITY delivered
 * messageIds of Segment's usual form (a UUID, 36 characters). Run with {@code bench/dedup/run.sh}.
 */
public final class DedupMemoryBenchmark {

    public static void main(String[] args) {
        int capacity = Integer.getInteger("capacity", 50_000);
        long before = usedAfterGc();
        DedupCache cache = new DedupCache(capacity);
        Instant now = Instant.now();
        for (int i = 0; i < capacity; i++) {
            String id = UUID.randomUUID().toString();
            cache.claim(id, now);
            cache.release(id, true, now);
        }
        long after = usedAfterGc();
        System.out.printf("| entries | heap held | per entry |%n|---:|---:|---:|%n| %d | %.1f MiB | %d bytes |%n",
                cache.size(), (after - before) / 1048576.0, (after - before) / Math.max(1, cache.size()));
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
