package io.segmentramen.golden;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The golden suite against the packaged artefact (the native executable with -Dnative): one suite, both runtimes. */
@QuarkusIntegrationTest
@TestProfile(GoldenProfile.class)
class GoldenNativeIT extends GoldenSuiteTest {
}
