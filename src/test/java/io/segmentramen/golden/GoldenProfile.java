package io.segmentramen.golden;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The golden tests post the same fixtures (same messageIds) through both entry points in one
 * application: the instance's de-duplication must not turn the second run into "duplicate" skips.
 * Nothing else differs from the default test configuration.
 */
public class GoldenProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ramen.dedup-capacity", "0");
    }
}
