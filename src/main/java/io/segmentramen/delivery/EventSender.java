package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.ramen.RamenClient;
import io.segmentramen.ramen.RamenReply;
import io.segmentramen.ramen.ResponseClassifier;
import io.segmentramen.ramen.ResponseClassifier.Classification;
import io.segmentramen.signing.SecureModeSigner;
import io.segmentramen.signing.SigningPlan;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Delivers one mapped payload: signs it afresh for every attempt, classifies Ramen's answer and
 * retries what is retryable, within RAMEN_MAX_ATTEMPTS and the request's deadline. Asynchronous:
 * no thread waits for Ramen or for a backoff.
 */
public final class EventSender {

    private final RamenClient client;
    private final SecureModeSigner signer;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Duration attemptTimeout;

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

    /** Waits for {@link #sendAsync}: for callers that have a thread to spare (tests, one-off use). */
    public EventOutcome send(ObjectNode payload, SigningPlan plan, Deadline deadline) {
        return sendAsync(payload, plan, deadline).toCompletableFuture().join();
    }

    /** Delivers without holding a thread: each attempt and each wait continues from the one before. */
    public CompletionStage<EventOutcome> sendAsync(ObjectNode payload, SigningPlan plan, Deadline deadline) {
        return attempt(new Progress(), payload, plan, deadline);
    }

    /** What one event's delivery has done so far. */
    private static final class Progress {
        int attempts;
        boolean freshConnectionRetried;
        ResponseClassifier.Retryable last;
    }

    private CompletionStage<EventOutcome> attempt(Progress progress, ObjectNode payload, SigningPlan plan, Deadline deadline) {
        Duration left = deadline.remaining();
        if (left.isZero()) {
            return done(deadlinePassed(progress.last, progress.attempts));
        }
        progress.attempts++;
        Duration timeout = left.compareTo(attemptTimeout) < 0 ? left : attemptTimeout;
        return client.sendAsync(signer.apply(payload, plan, clock.instant()), timeout)
                .thenCompose(reply -> afterReply(progress, reply, payload, plan, deadline));
    }

    private CompletionStage<EventOutcome> afterReply(Progress progress, RamenReply reply, ObjectNode payload, SigningPlan plan,
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
        if (classification instanceof ResponseClassifier.Rejected rejected) {
            return done(new EventOutcome.Rejected(rejected.reason(), rejected.message(), attempts, rejected.status()));
        }
        if (classification instanceof ResponseClassifier.ConfigurationError error) {
            return done(new EventOutcome.Failed(error.reason(), error.message(), attempts, error.status(), Optional.empty()));
        }
        ResponseClassifier.Retryable last = (ResponseClassifier.Retryable) classification;
        progress.last = last;
        if (attempts >= maxAttempts) {
            return done(new EventOutcome.Failed(last.reason(), last.message() + " (after " + attempts + " attempts)",
                    attempts, last.status(), last.retryAfter()));
        }
        Duration wait = last.retryAfter().orElseGet(backoffAfter(attempts));
        if (wait.compareTo(deadline.remaining()) >= 0) {
            String why = last.retryAfter().isPresent() ? " (Retry-After " + wait.toSeconds() + " s is beyond the deadline)"
                    : " (no time left before the deadline)";
            return done(new EventOutcome.Failed(last.reason(), last.message() + why, attempts, last.status(), last.retryAfter()));
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

    private static EventOutcome interrupted(ResponseClassifier.Retryable last, int attempts) {
        String message = "delivery was interrupted (the function is stopping) before this event was delivered";
        return last == null ? new EventOutcome.Failed("deadline_exceeded", message, attempts, null, Optional.empty())
                : new EventOutcome.Failed(last.reason(), last.message() + "; then " + message, attempts, last.status(), last.retryAfter());
    }

    private static EventOutcome deadlinePassed(ResponseClassifier.Retryable last, int attempts) {
        if (last == null) {
            return new EventOutcome.Failed("deadline_exceeded", "the request's delivery deadline passed before this event could be sent",
                    attempts, null, Optional.empty());
        }
        return new EventOutcome.Failed(last.reason(), last.message() + " (deadline reached)", attempts, last.status(), last.retryAfter());
    }
}
