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
import java.util.List;

/**
 * {@code infra/events/sqs} as {@code check-events.sh} runs it: with the buffered mode's token
 * {@code sample-token} configured, so a record needs the message attribute {@code Authorization}.
 * The record {@code sam local generate-event sqs receive-message} writes has none: it is listed in
 * batchItemFailures (back to the queue, then its dead-letter queue), never delivered nor dropped.
 */
@QuarkusTest
@TestProfile(SqsSampleEventsTest.Token.class)
@ExtendWith(ResetFakeRamen.class)
class SqsSampleEventsTest {

    public static class Token extends RamenProfile {
        public Token() {
            super(FakeRamen.class, "segment.auth-token", "sample-token");
        }
    }

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    static List<Path> samples() {
        return SampleEvents.samples("sqs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleGetsTheExpectedAnswer(Path sample) throws IOException {
        SampleEvents.assertAnswersAsExpected(sample);
    }
}
