package io.segmentramen.faults;

import io.segmentramen.testing.RamenProfile;

/**
 * A batch of 1 000 against {@link FlakyRamen}: a deadline long enough for all of it, and two
 * attempts per event so that ~1 % of events (0.1²) fail for good and exercise blocking and replay.
 */
public class BatchProfile extends RamenProfile {

    public BatchProfile() {
        super(FlakyRamen.class,
                "ramen.deadline", "30s",
                "ramen.timeout", "5s",
                "ramen.max-attempts", "2",
                "ramen.concurrency", "16");
    }
}
