package io.segmentramen.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one test profile: a stand-in for Ramen (a test resource) and a few settings, given as
 * name/value pairs. Every profile is a one-line subclass, because Quarkus starts the application
 * once per profile class; the request entry point is open ({@code SEGMENT_AUTH=none}) unless the
 * settings say otherwise.
 */
public abstract class RamenProfile implements QuarkusTestProfile {

    private final Class<? extends QuarkusTestResourceLifecycleManager> ramen;
    private final Map<String, String> settings = new HashMap<>();

    protected RamenProfile(Class<? extends QuarkusTestResourceLifecycleManager> ramen, String... namesAndValues) {
        this.ramen = ramen;
        settings.put("segment.auth", "none");
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            settings.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("settings come in name/value pairs");
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.copyOf(settings);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ramen));
    }
}
