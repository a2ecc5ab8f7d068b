package io.segmentramen.faults;

import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.RamenProfile;

/**
 * Ramen is the WireMock {@link FakeRamen}; short timeout and deadline so that failures end fast;
 * small request limits for the hostile-input table. Shared by every test class that can live with
 * it, so that Quarkus starts once for all of them.
 */
public class FaultProfile extends RamenProfile {

    public static final String API_KEY = "test-ramen-api-key";

    public FaultProfile() {
        super(FakeRamen.class,
                "ramen.timeout", "500ms",
                "ramen.deadline", "3s",
                "ramen.max-attempts", "3",
                "RAMEN_API_KEY", API_KEY,
                "segment.max-body-bytes", "200000",
                "segment.max-batch-events", "50");
    }
}
