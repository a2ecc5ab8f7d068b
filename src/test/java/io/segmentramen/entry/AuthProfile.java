package io.segmentramen.entry;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.segmentramen.testing.FakeRamen;

import java.util.List;
import java.util.Map;

/** Both credentials of SPEC §7 configured: SEGMENT_SHARED_SECRET and SEGMENT_AUTH_TOKEN. */
public class AuthProfile implements QuarkusTestProfile {

    public static final String SHARED_SECRET = "test-shared-secret";
    public static final String AUTH_TOKEN = "test-auth-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "segment.shared-secret", SHARED_SECRET,
                "segment.auth-token", AUTH_TOKEN,
                "ramen.timeout", "2s",
                "ramen.deadline", "5s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeRamen.class));
    }
}
