package io.segmentramen.infra;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.RamenProfile;
import io.segmentramen.testing.ResetFakeRamen;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * {@code infra/events/direct} and {@code infra/events/apigw} as {@code check-events.sh} runs them:
 * no credentials ({@code SEGMENT_AUTH=none}) and a fresh process per kind, here a dedup cache of 0 so
 * the two kinds' shared messageIds are not skipped as duplicates. Among them the events exactly as
 * {@code sam local generate-event apigateway aws-proxy / http-api-proxy} write them: base64 bodies,
 * no Content-Type, request times years old.
 */
@QuarkusTest
@TestProfile(SampleEventsTest.Open.class)
@ExtendWith(ResetFakeRamen.class)
class SampleEventsTest {

    public static class Open extends RamenProfile {
        public Open() {
            super(FakeRamen.class, "ramen.dedup-capacity", "0");
        }
    }

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    static Stream<Path> samples() {
        return Stream.concat(SampleEvents.samples("direct").stream(), SampleEvents.samples("apigw").stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleGetsTheExpectedAnswer(Path sample) throws IOException {
        SampleEvents.assertAnswersAsExpected(sample);
    }
}
