package io.segmentramen.faults;

import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.RamenProfile;

/**
 * RAMEN_DEADLINE=1s and the compatibility transport RAMEN_TRANSPORT=query (GET with json_payload),
 * no API key. Two unrelated settings in one profile only to spare a Quarkus start: the deadline
 * test does not care how payloads travel.
 */
public class ShortDeadlineQueryProfile extends RamenProfile {

    public ShortDeadlineQueryProfile() {
        super(FakeRamen.class,
                "ramen.deadline", "1s",
                "ramen.timeout", "500ms",
                "ramen.max-attempts", "3",
                "ramen.concurrency", "16",
                "ramen.transport", "query");
    }
}
