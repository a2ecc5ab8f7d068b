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

/**
 * Delivers one mapped payload: signs it afresh for every attempt, classifies Ramen's answer and
 * retries what is retryable, within RAMEN_MAX_ATTEMPTS and the request's deadline.
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

    public EventOutcome send(ObjectNode payload, SigningPlan plan, Deadline deadline) {
        int attempts = 0;
        boolean freshConnectionRetried = false;
        ResponseClassifier.Retryable last = null;
        while (true) {
            Duration left = deadline.remaining();
            if (left.isZero()) {
                return deadlinePassed(last, attempts);
            }
            attempts++;
            Duration timeout = left.compareTo(attemptTimeout) < 0 ? left : attemptTimeout;
            RamenReply reply = client.send(signer.apply(payload, plan, clock.instant()), timeout);
            if (reply instanceof RamenReply.Interrupted) {
                // The function is stopping: neither Ramen's fault nor the network's, and no retry.
                Thread.currentThread().interrupt();
                return interrupted(last, attempts - 1);
            }
            if (reply instanceof RamenReply.ConnectionFailed failed && failed.staleConnection() && !freshConnectionRetried) {
                // A reused pooled connection that died (most likely while the Lambda was frozen): the
                // pool drops it, so an immediate retry opens a fresh one. It does not count as an attempt.
                freshConnectionRetried = true;
                attempts--;
                continue;
            }
            Classification classification = ResponseClassifier.classify(reply);
            if (classification instanceof ResponseClassifier.Delivered delivered) {
                return new EventOutcome.Delivered(attempts, delivered.status());
            }
            if (classification instanceof ResponseClassifier.Rejected rejected) {
                return new EventOutcome.Rejected(rejected.reason(), rejected.message(), attempts, rejected.status());
            }
            if (classification instanceof ResponseClassifier.ConfigurationError error) {
                return new EventOutcome.Failed(error.reason(), error.message(), attempts, error.status(), Optional.empty());
            }
            last = (ResponseClassifier.Retryable) classification;
            if (attempts >= maxAttempts) {
                return new EventOutcome.Failed(last.reason(), last.message() + " (after " + attempts + " attempts)",
                        attempts, last.status(), last.retryAfter());
            }
            Duration wait = last.retryAfter().orElseGet(backoffAfter(attempts));
            if (wait.compareTo(deadline.remaining()) >= 0) {
                String why = last.retryAfter().isPresent() ? " (Retry-After " + wait.toSeconds() + " s is beyond the deadline)"
                        : " (no time left before the deadline)";
                return new EventOutcome.Failed(last.reason(), last.message() + why, attempts, last.status(), last.retryAfter());
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return interrupted(last, attempts);
            }
        }
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
