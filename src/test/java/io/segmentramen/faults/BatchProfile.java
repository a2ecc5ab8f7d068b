package io.segmentramen.faults;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * A batch of 1 000 against {@link FlakyRamen}: a deadline long enough for all of it, and two
 * attempts per event so that ~1 % of events (0.1²) fail for good and exercise blocking and replay.
 */
public class BatchProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ramen.deadline", "30s",
                "ramen.timeout", "5s",
                "ramen.max-attempts", "2",
                "ramen.concurrency", "16",
                "segment.auth", "none");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FlakyRamen.class));
    }
}
