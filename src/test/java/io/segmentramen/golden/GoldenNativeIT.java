package io.segmentramen.golden;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The golden suite against the packaged Lambda artefact (the native executable with -Dnative -Dlambda):
 * every case through API Gateway and by direct invocation. The artefact has no local HTTP server (only
 * quarkus:dev, the tests and java -jar have one), so the suite's HTTP door is not run here: the JVM
 * suite runs it, and the same cases reach the same core through the API Gateway door below.
 */
@QuarkusIntegrationTest
@TestProfile(GoldenProfile.class)
class GoldenNativeIT extends GoldenSuiteTest {

    /** Not a test here (no annotation): the Lambda artefact serves no local HTTP. */
    @Override
    void overHttp(GoldenCase golden) {
        throw new UnsupportedOperationException("the Lambda artefact has no local HTTP server");
    }
}
