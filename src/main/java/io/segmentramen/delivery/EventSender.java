package io.segmentramen.delivery;

import io.segmentramen.mapping.RamenPayload;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.ramen.RamenClient;
import io.segmentramen.ramen.RamenReply;
import io.segmentramen.ramen.ResponseClassifier;
import io.segmentramen.ramen.ResponseClassifier.Classification;
import io.segmentramen.signing.SecureModeSigner;
import io.segmentramen.signing.SigningPlan;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Delivers one mapped payload: signs it afresh for every attempt, classifies Ramen's answer and
 * retries what is retryable, within RAMEN_MAX_ATTEMPTS and the request's deadline. Asynchronous:
 * no thread waits for Ramen or for a backoff.
 */
public final class EventSender {

    /** What one answered request to Ramen is taken to cost until answers have been timed. */
    static final Duration ASSUMED_ANSWER_TIME = Duration.ofMillis(50);

    private final RamenClient client;
    private final SecureModeSigner signer;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Duration attemptTimeout;
    /** Moving average of answered attempts (request → response; no retries, waits or timeouts), in microseconds. */
    private volatile long answerMicros = ASSUMED_ANSWER_TIME.toNanos() / 1_000;

    public EventSender(RamenClient client, SecureModeSigner signer, Clock clock, Sleeper sleeper,
                       Backoff backoff, int maxAttempts, Duration attemptTimeout) {
        this.client = client;
        this.signer = signer;
        this.clock = clock;
        this.sleeper = sleeper;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.attemptTimeout = attemptTimeout;
    }

    /** Delivers without holding a thread: each attempt and each wait continues from the one before. */
    public CompletionStage<EventOutcome> sendAsync(RamenPayload payload, SigningPlan plan, Deadline deadline) {
        return attempt(new Progress(), payload, plan, deadline);
    }

    /**
     * How long Ramen takes to answer one request, averaged over the latest answered attempts (docs/CONTRACT.md §5:
     * it sizes the largest batch that fits a deadline). Retries, backoff waits and attempts that got no
     * answer do not count: they are not what one more event costs when Ramen answers.
     */
    Duration typicalAnswerTime() {
        return Duration.ofNanos(answerMicros * 1_000);
    }

    /** What one event's delivery has done so far. */
    private static final class Progress {
        int attempts;
        boolean freshConnectionRetried;
        ResponseClassifier.Retryable last;
    }

    private CompletionStage<EventOutcome> attempt(Progress progress, RamenPayload payload, SigningPlan plan, Deadline deadline) {
        Duration left = deadline.remaining();
        if (left.isZero()) {
            return done(deadlinePassed(progress.last, progress.attempts));
        }
        progress.attempts++;
        Duration timeout = left.compareTo(attemptTimeout) < 0 ? left : attemptTimeout;
        Instant sent = clock.instant();
        return client.sendAsync(signer.wire(payload, plan, sent), timeout).thenCompose(reply -> {
            if (reply instanceof RamenReply.Answered) {
                timeAnswer(sent);
            }
            return afterReply(progress, reply, payload, plan, deadline);
        });
    }

    private void timeAnswer(Instant sent) {
        long micros = Math.max(0, Duration.between(sent, clock.instant()).toNanos() / 1_000);
        answerMicros = (answerMicros * 7 + micros) / 8;
    }

    private CompletionStage<EventOutcome> afterReply(Progress progress, RamenReply reply, RamenPayload payload, SigningPlan plan,
                                                     Deadline deadline) {
        if (reply instanceof RamenReply.Interrupted) {
            // The function is stopping: neither Ramen's fault nor the network's, and no retry.
            Thread.currentThread().interrupt();
            return done(interrupted(progress.last, progress.attempts - 1));
        }
        if (reply instanceof RamenReply.ConnectionFailed failed && failed.staleConnection() && !progress.freshConnectionRetried) {
            // A reused pooled connection that died (most likely while the Lambda was frozen): the
            // pool drops it, so an immediate retry opens a fresh one. It does not count as an attempt.
            progress.freshConnectionRetried = true;
            progress.attempts--;
            return attempt(progress, payload, plan, deadline);
        }
        int attempts = progress.attempts;
        Classification classification = ResponseClassifier.classify(reply);
        if (classification instanceof ResponseClassifier.Delivered delivered) {
            return done(new EventOutcome.Delivered(attempts, delivered.status()));
        }
        if (classification instanceof ResponseClassifier.Final answer) {
            return done(EventOutcome.of(answer.rejection(), attempts, answer.status(), Optional.empty()));
        }
        ResponseClassifier.Retryable last = (ResponseClassifier.Retryable) classification;
        progress.last = last;
        if (attempts >= maxAttempts) {
            return done(failed(last, " (after " + attempts + " attempts)", attempts));
        }
        Duration wait = last.retryAfter().orElseGet(backoffAfter(attempts));
        if (wait.compareTo(deadline.remaining()) >= 0) {
            String why = last.retryAfter().isPresent() ? " (Retry-After " + wait.toSeconds() + " s is beyond the deadline)"
                    : " (no time left before the deadline)";
            return done(failed(last, why, attempts));
        }
        return sleeper.delay(wait).handle((waited, interruption) -> interruption != null
                        ? done(interrupted(last, attempts))
                        : attempt(progress, payload, plan, deadline))
                .thenCompose(next -> next);
    }

    private static CompletionStage<EventOutcome> done(EventOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    private java.util.function.Supplier<Duration> backoffAfter(int attempts) {
        return () -> backoff.delayAfter(attempts);
    }

    /** The last retryable answer, said to be final, with what ended the retries. */
    private static EventOutcome failed(ResponseClassifier.Retryable last, String ending, int attempts) {
        return new EventOutcome.Failed(last.rejection().followedBy(ending), attempts, last.status(), last.retryAfter());
    }

    private static EventOutcome interrupted(ResponseClassifier.Retryable last, int attempts) {
        String message = "delivery was interrupted (the function is stopping) before this event was delivered";
        return last == null ? new EventOutcome.Failed(new Rejection(Reason.DEADLINE_EXCEEDED, message), attempts, null, Optional.empty())
                : failed(last, "; then " + message, attempts);
    }

    /** The deadline passed; {@code last} is the last retryable answer, null when the event was never sent. */
    static EventOutcome deadlinePassed(ResponseClassifier.Retryable last, int attempts) {
        if (last == null) {
            return new EventOutcome.Failed(new Rejection(Reason.DEADLINE_EXCEEDED,
                    "the request's delivery deadline passed before this event could be sent"), attempts, null, Optional.empty());
        }
        return failed(last, " (deadline reached)", attempts);
    }
}
