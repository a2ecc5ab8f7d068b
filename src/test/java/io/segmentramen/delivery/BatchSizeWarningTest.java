package io.segmentramen.delivery;

import io.segmentramen.mapping.ImportRule;
import io.segmentramen.mapping.RamenMapper;
import io.segmentramen.ramen.RamenClient;
import io.segmentramen.ramen.RamenReply;
import io.segmentramen.segment.EventParser;
import io.segmentramen.segment.EventValidator;
import io.segmentramen.segment.RawEvent;
import io.segmentramen.segment.RequestError;
import io.segmentramen.signing.SecureMode;
import io.segmentramen.signing.SecureModeSigner;
import io.segmentramen.testing.LogCapture;
import io.segmentramen.testing.MutableClock;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Before delivering, a batch that cannot fit the time left is warned about, estimated as
 * rounds × the time Ramen takes to answer one request. That time is measured on answered attempts
 * only: retries and backoff waits of earlier events are not what one more event costs, so they must
 * not make a batch that fits look too large.
 *
 * <p>Ramen here takes 20 ms of the test's clock per answer and asks every warm-up event to retry
 * after 100 ms; the sleeper sleeps that for real (and moves the clock), so a latency taken on the
 * wall clock around the whole send would see the waits. The warning's verdict never depends on how
 * fast this machine runs: only the 20 ms answers may count.
 */
class BatchSizeWarningTest {

    private static final Duration ANSWER = Duration.ofMillis(20);
    private static final Duration RETRY_AFTER = Duration.ofMillis(100);
    private static final Pattern ESTIMATE = Pattern.compile("a batch of (\\d+) events .* needs about (\\d+) ms");

    private final MutableClock clock = new MutableClock();
    private EventPipeline pipeline;
    private int sequence;

    /** Answers after 20 ms; an event whose messageId starts with "retry-" gets a 503 + Retry-After first. */
    private final class Ramen implements RamenClient {
        private final Set<String> retried = new HashSet<>();

        @Override
        public CompletionStage<RamenReply> sendAsync(byte[] json, Duration timeout) {
            return CompletableFuture.completedFuture(answer(json, timeout));
        }

        private RamenReply answer(byte[] json, Duration timeout) {
            clock.advance(ANSWER);
            String messageId = Fixtures.parse(new String(json, java.nio.charset.StandardCharsets.UTF_8)).path("message_id").asText();
            if (messageId.startsWith("retry-") && retried.add(messageId)) {
                return new RamenReply.Answered(503, "", Optional.of(RETRY_AFTER));
            }
            return new RamenReply.Answered(200, "", Optional.empty());
        }
    }

    @BeforeEach
    void pipeline() {
        clock.fixAt(Instant.parse("2024-05-01T12:00:00Z"));
        SecureModeSigner signer = new SecureModeSigner(Optional.empty(), SecureMode.optional, Duration.ofMinutes(15));
        Sleeper sleeper = wait -> Sleeper.REAL.delay(wait).thenRun(() -> clock.advance(wait));
        EventSender sender = new EventSender(new Ramen(), signer, clock, sleeper, new Backoff(Duration.ofMillis(100), () -> 0.5),
                3, Duration.ofSeconds(1));
        pipeline = new EventPipeline(new EventValidator(32_768), new RamenMapper("org-1", ImportRule.parse("off"), Clock.systemUTC()), signer, sender, new DedupCache(1_000), 1, clock);
    }

    @Test
    void retriesAndBackoffOfEarlierEventsDoNotMakeABatchThatFitsLookTooLarge() throws RequestError {
        warmUpWithRetries();
        // 10 rounds at concurrency 1: about 10 × 20–50 ms of answers, well inside 500 ms.
        String log = deliver(10, "fits-", Duration.ofMillis(500));
        assertFalse(log.contains("lower the batch size"), "a batch that fits was warned about:\n" + log);
    }

    @Test
    void aBatchThatDoesNotFitIsStillWarnedAboutWithAnEstimateFromAnswersAlone() throws RequestError {
        warmUpWithRetries();
        // 10 rounds of at least 20 ms answers cannot fit 150 ms.
        String log = deliver(10, "tight-", Duration.ofMillis(150));
        Matcher warning = ESTIMATE.matcher(log);
        assertTrue(warning.find(), "no warning for a batch that cannot fit:\n" + log);
        assertEquals(10, Integer.parseInt(warning.group(1)));
        long estimateMs = Long.parseLong(warning.group(2));
        assertTrue(estimateMs >= 10 * ANSWER.toMillis() && estimateMs <= 10 * 50,
                "10 rounds of answers taking 20 ms (the assumed 50 ms fading): " + estimateMs + " ms, no retry waits in it");
    }

    /** Four events, each answered 503 + Retry-After 100 ms, then 200: every one waits, and is delivered. */
    private void warmUpWithRetries() throws RequestError {
        Report report = pipeline.process(events(4, "retry-"), Deadline.of(clock, clock.instant(), Duration.ofSeconds(10), null));
        assertEquals(4, report.delivered(), report.toString());
        report.results().forEach(result -> assertEquals(2, result.attempts(), result.toString()));
    }

    private String deliver(int count, String prefix, Duration budget) throws RequestError {
        try (LogCapture capture = LogCapture.on(EventPipeline.class.getName())) {
            pipeline.process(events(count, prefix), Deadline.of(clock, clock.instant(), budget, null));
            return capture.text();
        }
    }

    /** {@code count} track events of as many visitors (so each is one round at concurrency 1). */
    private java.util.List<RawEvent> events(int count, String prefix) throws RequestError {
        StringJoiner body = new StringJoiner(",", "[", "]");
        for (int i = 0; i < count; i++) {
            int n = sequence++;
            body.add("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u" + n + "\",\"messageId\":\"" + prefix + n + "\"}");
        }
        return new EventParser(100).parse(body.toString().getBytes(StandardCharsets.UTF_8)).events();
    }
}
