package io.segmentramen.delivery;

import java.time.Duration;
import java.util.Optional;

/** How one event ended (SPEC §7): exactly one of these per event in a request. */
public sealed interface EventOutcome {

    String status();

    record Delivered(int attempts, int ramenStatus) implements EventOutcome {
        public String status() {
            return "delivered";
        }
    }

    record Skipped(String reason, String message) implements EventOutcome {
        public String status() {
            return "skipped";
        }
    }

    /** Permanent: retrying cannot help. {@code ramenStatus} is null when Ramen was never asked. */
    record Rejected(String reason, String message, int attempts, Integer ramenStatus) implements EventOutcome {
        public String status() {
            return "rejected";
        }
    }

    /** Transient or configuration trouble: the caller must retry this event. */
    record Failed(String reason, String message, int attempts, Integer ramenStatus, Optional<Duration> retryAfter)
            implements EventOutcome {
        public String status() {
            return "failed";
        }

        public boolean throttled() {
            return ramenStatus != null && ramenStatus == 429;
        }
    }
}
