package io.segmentramen.http;

import io.segmentramen.ramen.RamenReply;
import io.segmentramen.testing.InProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The status of {@code POST /events} is the strongest effect among its events' reasons: a throttled
 * event makes it 429 even beside one Ramen could not take (503); any failure wins over rejections;
 * a rejection answers 400 only when the request was that one event.
 */
class AnswerStatusTest {

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "503 and 429 in one batch | {\"batch\":[@503,@429,@400]} | 429 | 1",
            "429 and 503 in one batch | {\"batch\":[@429,@503]}      | 429 | 1",
            "503 beside a rejection   | {\"batch\":[@400,@503]}      | 503 |  ",
            "a rejected batch         | {\"batch\":[@400,@200]}      | 200 |  ",
            "one rejected event       | @400                         | 400 |  ",
            "one delivered event      | @200                         | 200 |  "})
    void theStrongestEffectDecides(String name, String body, int status, String retryAfter) {
        InProcess pipeline = InProcess.open(Clock.systemUTC());
        pipeline.ramen.answer(payload -> new RamenReply.Answered(Integer.parseInt(payload.path("message_id").asText().substring(2)), "",
                Optional.empty()));
        String events = body;
        for (String code : new String[] {"200", "400", "429", "503"}) {
            events = events.replace("@" + code, "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u" + code + "\",\"messageId\":\"m-" + code + "\"}");
        }
        HttpAnswer answer = pipeline.http.handle(new InboundRequest("POST", Map.of("Content-Type", "application/json"),
                events.getBytes(StandardCharsets.UTF_8), Instant.now(), null));

        assertEquals(status, answer.status(), answer.bodyText());
        assertEquals(retryAfter, answer.headers().get("Retry-After"));
    }
}
