package io.segmentramen.outcome;

/**
 * How one event ended (docs/CONTRACT.md §2), exactly one per event: the {@code status} of its report result and
 * outcome line, and the metric it counts in. A request refused whole ({@code refused} in
 * docs/CONTRACT.md) is not an event status: it answers {@code {"error": ...}} and has no results.
 */
public enum Status {
    DELIVERED("delivered"),
    SKIPPED("skipped"),
    REJECTED("rejected"),
    FAILED("failed");

    private final String wireName;

    Status(String wireName) {
        this.wireName = wireName;
    }

    /** The status as reports and log lines write it. */
    public String wireName() {
        return wireName;
    }
}
