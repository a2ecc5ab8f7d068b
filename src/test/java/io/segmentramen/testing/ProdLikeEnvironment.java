package io.segmentramen.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * For tests of the packaged artefact (JVM jar or native executable, prod profile): no sandbox is
 * built in, so Ramen is the WireMock of {@link FakeRamen}, and the configuration a deployment
 * would pass as environment variables comes in as system properties.
 */
public class ProdLikeEnvironment extends FakeRamen {

    public static final String ORGANIZATION = "it-org";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("ramen.organization-id", ORGANIZATION);
        config.put("segment.auth", "none");
        // The events of these tests carry fixed timestamps, which age past RAMEN_IMPORT_AFTER: no import flag.
        config.put("ramen.import-after", "off");
        return config;
    }
}
