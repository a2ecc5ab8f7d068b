package io.segmentramen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.auth.AuthSettings;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.signing.SecureMode;
import io.segmentramen.delivery.Backoff;
import io.segmentramen.delivery.DedupCache;
import io.segmentramen.delivery.EventIntake;
import io.segmentramen.delivery.EventPipeline;
import io.segmentramen.delivery.EventSender;
import io.segmentramen.delivery.Sleeper;
import io.segmentramen.http.HttpCore;
import io.segmentramen.json.Json;
import io.segmentramen.lambda.SegmentLambdaHandler;
import io.segmentramen.lambda.SqsBatchHandler;
import io.segmentramen.mapping.ImportRule;
import io.segmentramen.mapping.RamenMapper;
import io.segmentramen.ramen.RamenClient;
import io.segmentramen.ramen.RamenReply;
import io.segmentramen.segment.EventParser;
import io.segmentramen.segment.EventValidator;
import io.segmentramen.signing.SecureModeSigner;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The whole pipeline without Quarkus, as {@code config.Wiring} builds it, against an in-process
 * fake Ramen: for fuzzing and generated-input properties, where booting an application per input
 * would cost seconds.
 */
public final class InProcess {

    public static final String ORGANIZATION = "inproc-org";
    public static final int MAX_BODY_BYTES = 6_291_456;
    public static final int MAX_BATCH_EVENTS = 4000;
    public static final int MAX_EVENT_BYTES = 32_768;

    /** A Ramen that records the exact bytes of every payload and answers as told (200 by default). */
    public static final class RecordingRamen implements RamenClient {
        public final ConcurrentLinkedQueue<byte[]> received = new ConcurrentLinkedQueue<>();
        /** False: count the requests and their bytes only (for tests that must not hold them in memory). */
        public volatile boolean recording = true;
        public final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
        public final java.util.concurrent.atomic.AtomicLong largestPayload = new java.util.concurrent.atomic.AtomicLong();
        private volatile Function<ObjectNode, RamenReply> answer = payload -> new RamenReply.Answered(200, "", Optional.empty());

        public void answer(Function<ObjectNode, RamenReply> answer) {
            this.answer = answer;
        }

        @Override
        public CompletionStage<RamenReply> sendAsync(byte[] bytes, Duration timeout) {
            return CompletableFuture.completedFuture(answer(bytes, timeout));
        }

        private RamenReply answer(byte[] bytes, Duration timeout) {
            ObjectNode payload = (ObjectNode) Fixtures.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            requests.incrementAndGet();
            largestPayload.accumulateAndGet(bytes.length, Math::max);
            if (recording) {
                received.add(bytes);
            }
            return answer.apply(payload);
        }

        public List<JsonNode> payloads() {
            return received.stream().map(bytes -> Fixtures.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))).toList();
        }
    }

    /** The Ramen every payload goes to: a {@link RecordingRamen} unless the caller gave one (then null). */
    public final RecordingRamen ramen;
    public final EventIntake intake;
    public final HttpCore http;
    public final SqsBatchHandler sqs;
    public final RequestAuthenticator authenticator;
    private final Clock clock;

    /**
     * @param secret Secure Mode secret (empty: forwarded hashes or unsigned)
     * @param auth   SEGMENT_AUTH_TOKEN, or empty for SEGMENT_AUTH=none
     */
    public InProcess(Optional<String> secret, SecureMode mode, Optional<String> auth, Clock clock) {
        this(new RecordingRamen(), secret, mode, auth, clock, duration -> CompletableFuture.completedFuture(null), Duration.ofSeconds(30), 0);
    }

    /**
     * Open, unsigned, with the caller's Ramen, clock and sleeper, and the deployed defaults otherwise
     * (RAMEN_DEADLINE 4 s, RAMEN_TIMEOUT 1 s, 3 attempts, concurrency 16, a dedup cache of 50 000).
     */
    public InProcess(RamenClient client, Clock clock, Sleeper sleeper) {
        this(client, Optional.empty(), SecureMode.optional, Optional.empty(), clock, sleeper, Duration.ofSeconds(4), 50_000);
    }

    /** The same, its pipeline given to {@code around} first (e.g. to put an idempotency table behind it). */
    public InProcess(RamenClient client, Clock clock, Sleeper sleeper, java.util.function.UnaryOperator<EventPipeline> around) {
        this(client, Optional.empty(), SecureMode.optional, Optional.empty(), clock, sleeper, Duration.ofSeconds(4), 50_000, around);
    }

    private InProcess(RamenClient client, Optional<String> secret, SecureMode mode, Optional<String> auth, Clock clock, Sleeper sleeper,
                      Duration deadline, int dedupCapacity) {
        this(client, secret, mode, auth, clock, sleeper, deadline, dedupCapacity, pipeline -> pipeline);
    }

    private InProcess(RamenClient client, Optional<String> secret, SecureMode mode, Optional<String> auth, Clock clock, Sleeper sleeper,
                      Duration deadline, int dedupCapacity, java.util.function.UnaryOperator<EventPipeline> around) {
        this.ramen = client instanceof RecordingRamen recording ? recording : null;
        this.clock = clock;
        SecureModeSigner signer = new SecureModeSigner(secret, mode, Duration.ofMinutes(15));
        EventSender sender = new EventSender(client, signer, clock, sleeper, new Backoff(Duration.ofMillis(100), () -> 0.5), 3,
                Duration.ofSeconds(1));
        EventPipeline pipeline = around.apply(new EventPipeline(new EventValidator(MAX_EVENT_BYTES),
                new RamenMapper(ORGANIZATION, ImportRule.parse("off"), Clock.systemUTC()), signer, sender, new DedupCache(dedupCapacity), 16, clock));
        intake = new EventIntake(new EventParser(MAX_BATCH_EVENTS, MAX_EVENT_BYTES), pipeline, clock, MAX_BODY_BYTES, deadline);
        authenticator = new RequestAuthenticator(AuthSettings.of(Optional.empty(), Optional.empty(), auth, Optional.empty(),
                auth.isPresent() ? Optional.empty() : Optional.of("none"), false));
        http = new HttpCore(intake, authenticator, false);
        sqs = new SqsBatchHandler(intake, authenticator);
    }

    /**
     * The one Lambda handler, built without CDI: every injected field is set from this pipeline by
     * its type (so that the handler's own sniffing of API Gateway, SQS, authorizer and direct
     * payloads is what runs).
     */
    public SegmentLambdaHandler lambdaHandler() {
        SegmentLambdaHandler handler = new SegmentLambdaHandler();
        Map<Class<?>, Object> beans = Map.of(HttpCore.class, http, EventIntake.class, intake, SqsBatchHandler.class, sqs,
                RequestAuthenticator.class, authenticator, Clock.class, clock,
                io.segmentramen.observability.MetricsEmitter.class, new io.segmentramen.observability.MetricsEmitter("in-process", clock));
        for (Field field : SegmentLambdaHandler.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            for (Map.Entry<Class<?>, Object> bean : beans.entrySet()) {
                if (field.getType().isAssignableFrom(bean.getKey())) {
                    try {
                        field.setAccessible(true);
                        field.set(handler, bean.getValue());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return handler;
    }

    /** Invokes the handler with a payload; the output as JSON, or the exception it ended in. */
    public Object invoke(SegmentLambdaHandler handler, byte[] payload) {
        return invoke(handler, payload, null);
    }

    /** The same within a Lambda invocation's context (its remaining time), null outside Lambda. */
    public Object invoke(SegmentLambdaHandler handler, byte[] payload, com.amazonaws.services.lambda.runtime.Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(payload), out, context);
            return Fixtures.parse(out.toString(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            return e;
        }
    }

    public static InProcess open(Clock clock) {
        return new InProcess(Optional.empty(), SecureMode.optional, Optional.empty(), clock);
    }
}
