package io.segmentramen.delivery;

import io.segmentramen.outcome.Rejection;
import io.segmentramen.outcome.Status;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How one event ended (docs/CONTRACT.md §2): exactly one of these per event in a request. */
public sealed interface EventOutcome {

    Status status();

    /** Why the event was not delivered; null when it was. */
    Rejection rejection();

    /** Delivery attempts made; 0 when Ramen was never asked. */
    int attempts();

    /** Ramen's last answer; null when Ramen never answered. */
    Integer ramenStatus();

    /**
     * An event that ends in its reason's status (docs/CONTRACT.md §2): the one way a stage's
     * {@link Rejection} becomes an outcome, whichever stage stopped it.
     */
    static EventOutcome of(Rejection rejection, int attempts, Integer ramenStatus, Optional<Duration> retryAfter) {
        return switch (rejection.reason().status()) {
            case SKIPPED -> new Skipped(rejection);
            case REJECTED -> new Rejected(rejection, attempts, ramenStatus);
            case FAILED -> new Failed(rejection, attempts, ramenStatus, retryAfter);
            case DELIVERED -> throw new IllegalArgumentException("no reason ends an event delivered");
        };
    }

    /** An event stopped before Ramen was asked. */
    static EventOutcome stopped(Rejection rejection) {
        return of(rejection, 0, null, Optional.empty());
    }

    record Delivered(int attempts, Integer ramenStatus) implements EventOutcome {
        public Delivered {
            Objects.requireNonNull(ramenStatus, "a delivered event has Ramen's answer");
        }

        public Status status() {
            return Status.DELIVERED;
        }

        public Rejection rejection() {
            return null;
        }
    }

    record Skipped(Rejection rejection) implements EventOutcome {
        public Status status() {
            return Status.SKIPPED;
        }

        public int attempts() {
            return 0;
        }

        public Integer ramenStatus() {
            return null;
        }
    }

    /** Permanent: retrying cannot help. {@code ramenStatus} is null when Ramen was never asked. */
    record Rejected(Rejection rejection, int attempts, Integer ramenStatus) implements EventOutcome {
        public Status status() {
            return Status.REJECTED;
        }
    }

    /** Transient or configuration trouble: the caller must retry this event. */
    record Failed(Rejection rejection, int attempts, Integer ramenStatus, Optional<Duration> retryAfter)
            implements EventOutcome {
        public Status status() {
            return Status.FAILED;
        }

    }
}
