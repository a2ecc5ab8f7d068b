package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.signing.SecureMode;
import io.segmentramen.json.Json;
import io.segmentramen.mapping.RamenPayload;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.ramen.RamenClient;
import io.segmentramen.ramen.RamenReply;
import io.segmentramen.signing.SecureModeHash;
import io.segmentramen.signing.SecureModeSigner;
import io.segmentramen.signing.SigningPlan;
import io.segmentramen.testing.MutableClock;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EventSender without Quarkus or a network: a scripted Ramen, a sleeper that only advances a fixed
 * clock, so every wait and every timestamp is exact.
 */
class EventSenderTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BASE = Duration.ofMillis(100);

    private final MutableClock clock = new MutableClock();
    private final List<Duration> waits = new ArrayList<>();
    private final Sleeper sleeper = duration -> {
        waits.add(duration);
        clock.advance(duration);
        return CompletableFuture.completedFuture(null);
    };
    private ScriptedRamen ramen;

    /** Answers from a script (the last answer repeats) and records what it was sent, when, with what timeout. */
    static final class ScriptedRamen implements RamenClient {
        record Call(ObjectNode payload, Duration timeout, Instant at) {
        }

        final Deque<RamenReply> script = new ArrayDeque<>();
        final List<Call> calls = new ArrayList<>();
        final MutableClock clock;
        Duration latency = Duration.ZERO;

        ScriptedRamen(MutableClock clock, RamenReply... replies) {
            this.clock = clock;
            script.addAll(List.of(replies));
        }

        @Override
        public CompletionStage<RamenReply> sendAsync(byte[] json, Duration timeout) {
            return CompletableFuture.completedFuture(answer((ObjectNode) Fixtures.parse(new String(json, java.nio.charset.StandardCharsets.UTF_8)), timeout));
        }

        private RamenReply answer(ObjectNode payload, Duration timeout) {
            calls.add(new Call(payload, timeout, clock.instant()));
            clock.advance(latency);
            return script.size() > 1 ? script.poll() : script.peek();
        }
    }

    private static RamenReply status(int status) {
        return new RamenReply.Answered(status, "", Optional.empty());
    }

    private static RamenReply retryAfter(int status, Duration wait) {
        return new RamenReply.Answered(status, "", Optional.of(wait));
    }

    @BeforeEach
    void fixClock() {
        clock.fixAt(T0);
    }

    private EventSender sender(int maxAttempts, Backoff backoff, SecureModeSigner signer, RamenReply... replies) {
        ramen = new ScriptedRamen(clock, replies);
        return new EventSender(ramen, signer, clock, sleeper, backoff, maxAttempts, ATTEMPT_TIMEOUT);
    }

    private EventSender sender(int maxAttempts, RamenReply... replies) {
        return sender(maxAttempts, new Backoff(BASE, new Random(7)::nextDouble), unsigned(), replies);
    }

    private static SecureModeSigner unsigned() {
        return new SecureModeSigner(Optional.empty(), SecureMode.optional, Duration.ofMinutes(15));
    }

    private Deadline deadlineIn(Duration budget) {
        return Deadline.of(clock, clock.instant(), budget, null);
    }

    private static ObjectNode tree() {
        ObjectNode payload = Json.object().put("organization_id", "org").put("message_id", "m1");
        payload.putObject("user").put("id", "42").put("email", "ryan@ramen.is").put("name", "Ryan Angilly");
        return payload;
    }

    private static RamenPayload payload() {
        return RamenPayload.of(tree());
    }

    @Test
    void deliveredAtOnceNeedsNoWait() {
        EventOutcome outcome = sender(3, status(200)).sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();

        assertEquals(new EventOutcome.Delivered(1, 200), outcome);
        assertEquals(List.of(), waits);
        assertEquals(1, ramen.calls.size());
    }

    @Test
    void backoffWaitsStayWithinFullJitterBounds() {
        Random random = new Random(20240501L);
        List<List<Duration>> runs = new ArrayList<>();
        for (int run = 0; run < 300; run++) {
            waits.clear();
            EventSender sender = sender(5, new Backoff(BASE, random::nextDouble), unsigned(), status(503));
            EventOutcome outcome = sender.sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofHours(1))).toCompletableFuture().join();
            assertInstanceOf(EventOutcome.Failed.class, outcome);
            assertEquals(5, ramen.calls.size());
            assertEquals(4, waits.size(), "a wait between attempts, none after the last");
            runs.add(List.copyOf(waits));
        }
        for (int k = 0; k < 4; k++) {
            long ceiling = BASE.toMillis() << k;
            long min = Long.MAX_VALUE;
            long max = 0;
            for (List<Duration> run : runs) {
                long wait = run.get(k).toMillis();
                assertTrue(wait >= 0 && wait < ceiling, "wait after attempt " + (k + 1) + " must be in [0, " + ceiling + ") ms: " + wait);
                min = Math.min(min, wait);
                max = Math.max(max, wait);
            }
            assertTrue(min < ceiling / 10 && max > ceiling * 9 / 10,
                    "full jitter spreads over the whole range after attempt " + (k + 1) + ": " + min + ".." + max);
        }
    }

    @Test
    void retryAfterIsHonouredExactly() {
        EventOutcome outcome = sender(3, retryAfter(429, Duration.ofMillis(1_500)), status(200))
                .sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();

        assertEquals(new EventOutcome.Delivered(2, 200), outcome);
        assertEquals(List.of(Duration.ofMillis(1_500)), waits);
        assertEquals(T0.plusMillis(1_500), ramen.calls.get(1).at());
    }

    @Test
    void retryAfterOnA503IsHonouredToo() {
        sender(3, retryAfter(503, Duration.ofSeconds(2)), status(200)).sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();

        assertEquals(List.of(Duration.ofSeconds(2)), waits);
    }

    @Test
    void retryAfterBeyondTheDeadlineFailsImmediatelyAndCarriesIt() {
        EventOutcome outcome = sender(3, retryAfter(429, Duration.ofSeconds(5)), status(200))
                .sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();

        EventOutcome.Failed failed = assertInstanceOf(EventOutcome.Failed.class, outcome);
        assertEquals("ramen_throttled", failed.rejection().code());
        assertEquals(1, failed.attempts());
        assertEquals(429, failed.ramenStatus());
        assertEquals(Optional.of(Duration.ofSeconds(5)), failed.retryAfter());
        assertEquals(Reason.Answer.THROTTLED, failed.rejection().reason().answer());
        assertEquals(List.of(), waits, "no waiting for what cannot be waited out");
        assertEquals(1, ramen.calls.size());
    }

    @Test
    void maxAttemptsIsRespected() {
        for (int maxAttempts = 1; maxAttempts <= 4; maxAttempts++) {
            waits.clear();
            EventOutcome outcome = sender(maxAttempts, status(503)).sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofMinutes(1))).toCompletableFuture().join();

            EventOutcome.Failed failed = assertInstanceOf(EventOutcome.Failed.class, outcome);
            assertEquals("ramen_unavailable", failed.rejection().code());
            assertEquals(maxAttempts, failed.attempts());
            assertEquals(maxAttempts, ramen.calls.size());
            assertEquals(maxAttempts - 1, waits.size());
        }
    }

    @Test
    void permanentAndConfigurationAnswersAreNotRetried() {
        EventOutcome rejected = sender(3, new RamenReply.Answered(422, "{\"error\":\"bad company.url\"}", Optional.empty()))
                .sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();
        assertEquals(new EventOutcome.Rejected(new Rejection(Reason.RAMEN_REJECTED, "Ramen answered 422: bad company.url"), 1, 422), rejected);
        assertEquals(1, ramen.calls.size());

        EventOutcome unauthorized = sender(3, status(401)).sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();
        EventOutcome.Failed failed = assertInstanceOf(EventOutcome.Failed.class, unauthorized);
        assertEquals("ramen_unauthorized", failed.rejection().code());
        assertEquals(1, ramen.calls.size());
        assertEquals(List.of(), waits);
    }

    @Test
    void eachAttemptIsSignedWithTheClockAtThatAttempt() {
        String secret = "oihs9uhasdg8934y8";
        SecureModeSigner signer = new SecureModeSigner(Optional.of(secret), SecureMode.optional, Duration.ofMinutes(15));
        ObjectNode tree = tree();
        RamenPayload payload = RamenPayload.of(tree);
        byte[] mapped = payload.json().clone();
        SigningPlan plan = signer.plan(tree, null, clock.instant());
        assertEquals(SigningPlan.SIGN_EACH_ATTEMPT, plan);

        EventOutcome outcome = sender(3, new Backoff(BASE, () -> 0.5), signer, retryAfter(429, Duration.ofSeconds(3)), status(200))
                .sendAsync(payload, plan, deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();

        assertEquals(new EventOutcome.Delivered(2, 200), outcome);
        ObjectNode first = ramen.calls.get(0).payload();
        ObjectNode second = ramen.calls.get(1).payload();
        assertEquals(T0.getEpochSecond(), first.path("timestamp").asLong());
        assertEquals(T0.getEpochSecond() + 3, second.path("timestamp").asLong());
        assertEquals(SecureModeHash.of("ryan@ramen.is", "42", "Ryan Angilly", T0.getEpochSecond(), secret), first.path("auth_hash").asText());
        assertEquals(SecureModeHash.of("ryan@ramen.is", "42", "Ryan Angilly", T0.getEpochSecond() + 3, secret),
                second.path("auth_hash").asText());
        assertNotEquals(first.path("auth_hash").asText(), second.path("auth_hash").asText());
        assertTrue(tree.path("auth_hash").isMissingNode(), "the mapped payload itself is never changed");
        assertArrayEquals(mapped, payload.json(), "nor its JSON");
    }

    @Test
    void staleReusedConnectionGetsOneFreeRetryThatIsNoAttempt() {
        EventOutcome recovered = sender(3, new RamenReply.ConnectionFailed("reset", true), status(200))
                .sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();
        assertEquals(new EventOutcome.Delivered(1, 200), recovered);
        assertEquals(2, ramen.calls.size());
        assertEquals(List.of(), waits, "the fresh-connection retry goes at once");

        EventOutcome failed = sender(3, new RamenReply.ConnectionFailed("reset", true)).sendAsync(payload(), SigningPlan.UNSIGNED,
                deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();
        EventOutcome.Failed f = assertInstanceOf(EventOutcome.Failed.class, failed);
        assertEquals("ramen_unreachable", f.rejection().code());
        assertEquals(3, f.attempts());
        assertEquals(4, ramen.calls.size(), "one free retry plus three attempts");
    }

    /** docs/CONTRACT.md §5: the free retry is only for a reused connection; a refused one is an attempt like any other, with backoff. */
    @Test
    void refusedConnectionIsANormalAttemptWithBackoff() {
        EventOutcome outcome = sender(3, new RamenReply.ConnectionFailed("Connection refused", false), status(200))
                .sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();
        assertEquals(new EventOutcome.Delivered(2, 200), outcome);
        assertEquals(2, ramen.calls.size());
        assertEquals(1, waits.size(), "backoff before the second attempt: " + waits);

        EventOutcome failed = sender(3, new RamenReply.ConnectionFailed("Connection refused", false)).sendAsync(payload(), SigningPlan.UNSIGNED,
                deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();
        assertEquals(3, assertInstanceOf(EventOutcome.Failed.class, failed).attempts());
        assertEquals(3, ramen.calls.size(), "no free retry: three attempts, three requests");
    }

    /** An interrupted delivery thread is not a connection failure and does not spend the free retry. */
    @Test
    void interruptedAttemptStopsWithoutRetryingOrBlamingTheNetwork() {
        EventOutcome outcome = sender(3, new RamenReply.Interrupted(), status(200))
                .sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(4))).toCompletableFuture().join();
        boolean interruptKept = Thread.interrupted();

        EventOutcome.Failed failed = assertInstanceOf(EventOutcome.Failed.class, outcome);
        assertEquals(1, ramen.calls.size(), "no free retry, no further attempt");
        assertEquals(0, failed.attempts(), "the interrupted attempt got no answer to count");
        assertTrue(!"ramen_unreachable".equals(failed.rejection().code()), failed.toString());
        assertTrue(failed.rejection().message().contains("interrupted"), failed.rejection().message());
        assertTrue(interruptKept, "the thread's interrupt flag is restored for whoever stops it");
        assertEquals(List.of(), waits);
    }

    @Test
    void timeoutIsRetriedAndEachAttemptIsBoundedByWhatIsLeft() {
        EventSender sender = sender(3, new Backoff(BASE, () -> 0.0), unsigned(), new RamenReply.TimedOut());
        ramen.latency = Duration.ofMillis(700);

        EventOutcome outcome = sender.sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofMillis(1_500))).toCompletableFuture().join();

        EventOutcome.Failed failed = assertInstanceOf(EventOutcome.Failed.class, outcome);
        assertEquals("ramen_timeout", failed.rejection().code());
        assertEquals(ATTEMPT_TIMEOUT, ramen.calls.get(0).timeout(), "RAMEN_TIMEOUT while the deadline is further away");
        assertEquals(Duration.ofMillis(800), ramen.calls.get(1).timeout(), "never beyond the deadline");
        assertEquals(3, ramen.calls.size());
        assertEquals(Duration.ofMillis(100), ramen.calls.get(2).timeout());
    }

    @Test
    void deadlineAlreadyPassedSendsNothing() {
        Deadline deadline = deadlineIn(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));

        EventOutcome outcome = sender(3, status(200)).sendAsync(payload(), SigningPlan.UNSIGNED, deadline).toCompletableFuture().join();

        EventOutcome.Failed failed = assertInstanceOf(EventOutcome.Failed.class, outcome);
        assertEquals("deadline_exceeded", failed.rejection().code());
        assertEquals(0, failed.attempts());
        assertEquals(0, ramen.calls.size());
    }

    @Test
    void backoffLongerThanWhatIsLeftEndsTheEventFailed() {
        EventSender sender = sender(3, new Backoff(BASE, () -> 0.99), unsigned(), status(503));
        ramen.latency = Duration.ofMillis(950);

        EventOutcome outcome = sender.sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(1))).toCompletableFuture().join();

        EventOutcome.Failed failed = assertInstanceOf(EventOutcome.Failed.class, outcome);
        assertEquals("ramen_unavailable", failed.rejection().code());
        assertEquals(1, failed.attempts());
        assertEquals(List.of(), waits);
    }

    /**
     * The batch-size estimate uses how long Ramen takes to answer: a timed-out attempt, the
     * backoff and a 2 s Retry-After around two 20 ms answers leave it where two 20 ms answers alone put it.
     */
    @Test
    void typicalAnswerTimeCountsAnsweredAttemptsOnly() {
        EventSender answeredTwice = sender(3, status(200));
        ramen.latency = Duration.ofMillis(20);
        answeredTwice.sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(10))).toCompletableFuture().join();
        answeredTwice.sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(10))).toCompletableFuture().join();

        EventSender withRetries = sender(3, new RamenReply.TimedOut(), retryAfter(503, Duration.ofSeconds(2)), status(200));
        ramen.latency = Duration.ofMillis(20);
        EventOutcome outcome = withRetries.sendAsync(payload(), SigningPlan.UNSIGNED, deadlineIn(Duration.ofSeconds(10))).toCompletableFuture().join();

        assertEquals(new EventOutcome.Delivered(3, 200), outcome);
        assertEquals(2, waits.size(), "a backoff after the timeout, the Retry-After after the 503: " + waits);
        assertEquals(answeredTwice.typicalAnswerTime(), withRetries.typicalAnswerTime());
        assertTrue(withRetries.typicalAnswerTime().compareTo(EventSender.ASSUMED_ANSWER_TIME) < 0, "moved towards 20 ms");
    }

    @Test
    void backoffIsUniformBelowBaseTimesTwoToTheAttempt() {
        assertEquals(Duration.ZERO, new Backoff(BASE, () -> 0.0).delayAfter(1));
        assertEquals(Duration.ofMillis(99), new Backoff(BASE, () -> 0.999).delayAfter(1));
        assertEquals(Duration.ofMillis(199), new Backoff(BASE, () -> 0.999).delayAfter(2));
        assertEquals(Duration.ofMillis(200), new Backoff(BASE, () -> 0.5).delayAfter(3));
    }
}
