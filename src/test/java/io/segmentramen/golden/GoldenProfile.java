package io.segmentramen.golden;

import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.RamenProfile;

/**
 * The configuration of the golden files on both runtimes: their organization, no authentication,
 * and no de-duplication (every case goes through several entry points with the same messageIds).
 * Ramen is the WireMock {@link FakeRamen}, so that the JVM and the packaged artefact are checked alike.
 */
public class GoldenProfile extends RamenProfile {

    public GoldenProfile() {
        super(FakeRamen.class,
                "ramen.organization-id", "sandbox-org",
                "ramen.dedup-capacity", "0");
    }
}
