package io.segmentramen.faults;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.segmentramen.testing.FakeRamen;

import java.util.List;
import java.util.Map;

/**
 * RAMEN_DEADLINE=1s and the compatibility transport RAMEN_TRANSPORT=query (GET with json_payload),
 * no API key. Two unrelated settings in one profile only to spare a Quarkus start: the deadline
 * test does not care how payloads travel.
 */
public class ShortDeadlineQueryProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ramen.deadline", "1s",
                "ramen.timeout", "500ms",
                "ramen.max-attempts", "3",
                "ramen.concurrency", "16",
                "ramen.transport", "query",
                "segment.auth", "none");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeRamen.class));
    }
}
