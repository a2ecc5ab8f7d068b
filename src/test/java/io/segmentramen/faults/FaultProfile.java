package io.segmentramen.faults;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.segmentramen.testing.FakeRamen;

import java.util.List;
import java.util.Map;

/**
 * Ramen is the WireMock {@link FakeRamen}; short timeout and deadline so that failures end fast;
 * small request limits for the hostile-input table. Shared by every test class that can live with
 * it, so that Quarkus starts once for all of them.
 */
public class FaultProfile implements QuarkusTestProfile {

    public static final String API_KEY = "test-ramen-api-key";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ramen.timeout", "500ms",
                "ramen.deadline", "3s",
                "ramen.max-attempts", "3",
                "ramen.api-key", API_KEY,
                "segment.max-body-bytes", "200000",
                "segment.max-batch-events", "50",
                "segment.auth", "none");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeRamen.class));
    }
}
