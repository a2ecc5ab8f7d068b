package io.segmentramen.config;

import io.segmentramen.mapping.ImportRule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one table of what each numeric setting may be (docs/CONTRACT.md §7). Checked at start, so that
 * a value that parses but would overflow or break every event later — a timeout beyond an int of
 * milliseconds, an import age that cannot be subtracted from now, no attempt at all — stops the start
 * with a message naming its variable.
 */
public final class SettingRanges {

    /** A duration setting: its variable and its bounds, both included. */
    public record DurationRange(String variable, Duration min, Duration max, Function<DestinationConfig, Duration> value) {
    }

    /** A count setting: its variable and its bounds, both included. */
    public record CountRange(String variable, long min, long max, Function<Settings, Integer> value) {
    }

    /** Both configuration groups, for the counts that live in either. */
    public record Settings(DestinationConfig ramen, SegmentConfig segment) {
    }

    /** Lambda's longest invocation: no request or invocation outlives it. */
    static final Duration LAMBDA_MAX = Duration.ofMinutes(15);
    /** Lambda's synchronous payload limit: a larger body never reaches the function. */
    static final int LAMBDA_PAYLOAD_BYTES = 6_291_456;

    public static final List<DurationRange> DURATIONS = List.of(
            new DurationRange("RAMEN_TIMEOUT", Duration.ofMillis(1), Duration.ofMinutes(5), DestinationConfig::timeout),
            new DurationRange("RAMEN_DEADLINE", Duration.ofSeconds(1), LAMBDA_MAX, DestinationConfig::deadline),
            new DurationRange("RAMEN_SIGNATURE_MAX_AGE", Duration.ofSeconds(1), Duration.ofDays(1), DestinationConfig::signatureMaxAge));

    /** RAMEN_IMPORT_AFTER, when not {@code off}: a millisecond to a hundred years. */
    public static final DurationRange IMPORT_AFTER = new DurationRange("RAMEN_IMPORT_AFTER", Duration.ofMillis(1),
            Duration.ofDays(36_525), ramen -> ImportRule.parse(ramen.importAfter()).after().orElse(Duration.ofMillis(1)));

    /**
     * IDEMPOTENCY_EXPIRY (read from {@link IdempotencyConfig}, so no value function): at least Segment's
     * 4 h of retries and a deadline, so that a resend always finds the record; at most a year.
     */
    public static final DurationRange IDEMPOTENCY_EXPIRY = new DurationRange("IDEMPOTENCY_EXPIRY", Duration.ofHours(5),
            Duration.ofDays(365), ramen -> null);

    public static final List<CountRange> COUNTS = List.of(
            new CountRange("RAMEN_MAX_ATTEMPTS", 1, 10, settings -> settings.ramen().maxAttempts()),
            new CountRange("RAMEN_CONCURRENCY", 1, 256, settings -> settings.ramen().concurrency()),
            new CountRange("DEDUP_CAPACITY", 0, 1_000_000, settings -> settings.ramen().dedupCapacity()),
            new CountRange("MAX_BODY_BYTES", 65_536, LAMBDA_PAYLOAD_BYTES, settings -> settings.segment().maxBodyBytes()),
            new CountRange("MAX_BATCH_EVENTS", 1, 4_000, settings -> settings.segment().maxBatchEvents()),
            new CountRange("SEGMENT_MAX_EVENT_BYTES", 1_024, 32_768, settings -> settings.segment().maxEventBytes()));

    private SettingRanges() {
    }

    /** One sentence per setting outside its range (or unreadable), naming the variable and the range. */
    public static List<String> problems(DestinationConfig ramen, SegmentConfig segment) {
        List<String> problems = new ArrayList<>();
        for (DurationRange range : DURATIONS) {
            check(range, range.value().apply(ramen)).ifPresent(problems::add);
        }
        try {
            check(IMPORT_AFTER, IMPORT_AFTER.value().apply(ramen)).ifPresent(problems::add);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        Settings settings = new Settings(ramen, segment);
        for (CountRange range : COUNTS) {
            long value = range.value().apply(settings);
            if (value < range.min() || value > range.max()) {
                problems.add(range.variable() + " is " + value + ": it must be from " + range.min() + " to " + range.max());
            }
        }
        return problems;
    }

    /** The idempotency table's settings, checked only when the table is on. */
    public static List<String> problems(IdempotencyConfig idempotency) {
        if (!idempotency.enabled()) {
            return List.of();
        }
        return check(IDEMPOTENCY_EXPIRY, idempotency.expiry()).map(List::of).orElse(List.of());
    }

    private static Optional<String> check(DurationRange range, Duration value) {
        if (value.compareTo(range.min()) >= 0 && value.compareTo(range.max()) <= 0) {
            return Optional.empty();
        }
        return Optional.of(range.variable() + " is " + value + ": it must be from " + range.min() + " to " + range.max());
    }
}
