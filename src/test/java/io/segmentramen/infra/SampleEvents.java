package io.segmentramen.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.RamenProfile;
import io.segmentramen.testing.ResetFakeRamen;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM half of {@code infra/local/check-events.sh}: each sample of {@code infra/events/<kind>/}
 * invoked through the Lambda handler (Quarkus's mock event server) against a Ramen that answers 200,
 * its answer compared as JSON with {@code infra/events/expected/<kind>/<name>} the way the script
 * compares them (an API Gateway response's body parsed as JSON too). A subclass is one run: its
 * profile and a static {@code samples()} naming the files.
 */
@ExtendWith(ResetFakeRamen.class)
abstract class SampleEvents {

    static final Path EVENTS = Path.of("infra/events");

    /** {@code check-events.sh}'s open run: no credentials, and no dedup, as the two kinds share messageIds. */
    public static class Open extends RamenProfile {
        public Open() {
            super(FakeRamen.class, "ramen.dedup-capacity", "0");
        }
    }

    /** Its SQS run: the buffered mode's token configured. */
    public static class Token extends RamenProfile {
        public Token() {
            super(FakeRamen.class, "SEGMENT_AUTH_TOKEN", "sample-token");
        }
    }

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleGetsTheExpectedAnswer(Path sample) throws IOException {
        assertAnswersAsExpected(sample);
    }

    static List<Path> files(String kind) {
        try (Stream<Path> files = Files.list(EVENTS.resolve(kind))) {
            List<Path> samples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertTrue(samples.size() > 1, "samples in infra/events/" + kind);
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertAnswersAsExpected(Path sample) throws IOException {
        String kind = sample.getParent().getFileName().toString();
        Path expectedFile = EVENTS.resolve("expected").resolve(kind).resolve(sample.getFileName());
        assertTrue(Files.exists(expectedFile), "an expected answer " + expectedFile + " for every sample");

        String output = Endpoints.lambda().contentType("application/json").body(Files.readAllBytes(sample)).post()
                .then().statusCode(200).extract().asString();

        assertEquals(normalised(Fixtures.parse(Files.readString(expectedFile))), normalised(Fixtures.parse(output)),
                sample + " answered " + output);
    }

    private static JsonNode normalised(JsonNode answer) {
        if (answer.has("statusCode") && answer.path("body").isTextual()) {
            ObjectNode copy = answer.deepCopy();
            copy.set("body", Fixtures.parse(answer.path("body").asText()));
            return copy;
        }
        return answer;
    }
}
