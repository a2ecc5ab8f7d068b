package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.idempotency.IdempotencyTable;
import io.segmentramen.mapping.MappingResult;
import io.segmentramen.mapping.RamenPayload;
import io.segmentramen.mapping.Warnings;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.segment.RawEvent;
import io.segmentramen.mapping.RamenMapper;
import io.segmentramen.segment.EventValidator;
import io.segmentramen.segment.SegmentEvent;
import io.segmentramen.segment.Verdict;
import io.segmentramen.signing.SecureModeSigner;
import io.segmentramen.signing.SigningPlan;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * validate → map → sign → deliver → report, for every event of one request. Events of different
 * visitors go out concurrently (up to RAMEN_CONCURRENCY, as futures: no thread per request to
 * Ramen); a visitor's own events go in batch order, and once one of them fails the rest are held
 * back so that the caller's retry cannot reorder them.
 */
public final class EventPipeline {

    private static final Logger LOG = Logger.getLogger(EventPipeline.class);
    private static final EventOutcome BLOCKED = EventOutcome.stopped(new Rejection(Reason.BLOCKED_BY_EARLIER_FAILURE,
            "an earlier event of this visitor failed; not sent so that a retry keeps their order"));
    private static final EventOutcome DUPLICATE = EventOutcome.stopped(new Rejection(Reason.DUPLICATE,
            "messageId was already delivered by this instance"));
    private static final EventOutcome DUPLICATE_RECORDED = EventOutcome.stopped(new Rejection(Reason.DUPLICATE,
            "messageId was already handled (idempotency table)"));
    private static final EventOutcome IN_PROGRESS_ELSEWHERE = EventOutcome.stopped(new Rejection(Reason.IN_PROGRESS_ELSEWHERE,
            "another instance is delivering this messageId right now (idempotency table); retry later"));
    private static final EventOutcome IDEMPOTENCY_UNAVAILABLE = EventOutcome.stopped(new Rejection(Reason.IDEMPOTENCY_UNAVAILABLE,
            "the idempotency table could not be reached and IDEMPOTENCY_WHEN_UNREACHABLE=fail; retry later"));
    private static final EventOutcome DUPLICATE_IN_FLIGHT = EventOutcome.stopped(new Rejection(Reason.DUPLICATE_IN_FLIGHT,
            "messageId is being delivered by another request right now"));
    /** How often (in events) the time kept for answering is estimated again while the events are prepared. */
    private static final int TAIL_ESTIMATE_EVERY = 16;
    /** Mapped payloads kept in memory between mapping and delivery, in bytes of JSON. */
    static final long RETAINED_PAYLOAD_BYTES = 4L << 20;

    private final EventValidator validator;
    private final RamenMapper mapper;
    private final SecureModeSigner signer;
    private final EventSender sender;
    private final DedupCache dedup;
    private final int concurrency;
    private final Clock clock;
    /** The idempotency table, or null when it is off (docs/CONTRACT.md §5, "Exactly once across instances"). */
    private final IdempotencyTable table;
    /** When the table cannot be reached: deliver anyway (true, the default) or fail the event. */
    private final boolean deliverWhenUnreachable;

    // CPD-OFF: field assignments of a seven-argument constructor, the same shape as EventSender's
    public EventPipeline(EventValidator validator, RamenMapper mapper, SecureModeSigner signer, EventSender sender,
                         DedupCache dedup, int concurrency, Clock clock) {
        this.validator = validator;
        this.mapper = mapper;
        this.signer = signer;
        this.sender = sender;
        this.dedup = dedup;
        this.concurrency = concurrency;
        this.clock = clock;
        this.table = null;
        this.deliverWhenUnreachable = true;
    }
    // CPD-ON

    private EventPipeline(EventPipeline without, IdempotencyTable table, boolean deliverWhenUnreachable) {
        this.validator = without.validator;
        this.mapper = without.mapper;
        this.signer = without.signer;
        this.sender = without.sender;
        this.dedup = without.dedup;
        this.concurrency = without.concurrency;
        this.clock = without.clock;
        this.table = table;
        this.deliverWhenUnreachable = deliverWhenUnreachable;
    }

    /**
     * This pipeline with an idempotency table behind its in-memory cache: each messageId is claimed in
     * the table before it is sent. {@code deliverWhenUnreachable}: what to do when the table cannot
     * be reached (fail-open, true, or fail the event for Segment to retry).
     */
    public EventPipeline withTable(IdempotencyTable table, boolean deliverWhenUnreachable) {
        return new EventPipeline(this, table, deliverWhenUnreachable);
    }

    /**
     * One result per element, whatever the elements hold. Each element is decoded (pass 2, docs/CONTRACT.md §1),
     * validated and mapped in turn and its tree dropped at once; a visitor's events start going to Ramen as
     * soon as the first of them is ready, while the rest of the request is still being prepared (see
     * {@link Dispatch}). Mapped payloads are kept for delivery up to {@value #RETAINED_PAYLOAD_BYTES} bytes in
     * all, beyond which an event is mapped again when its turn to be sent comes, so that a 6 MB body never
     * holds more than that at once.
     */
    public Report process(List<RawEvent> events, Deadline deadline) {
        Batch batch = new Batch(events);
        long retained = 0;
        Instant preparing = clock.instant();
        int prepared = 0;
        int unread = 0;
        Deadline delivery = deadline; // estimated at the first event, then every TAIL_ESTIMATE_EVERY
        Dispatch dispatch = new Dispatch(batch, delivery);
        for (int i = 0; i < events.size(); i++) {
            if (i % TAIL_ESTIMATE_EVERY == 0) {
                delivery = deadline.keepingTail(events.size(), Duration.between(preparing, clock.instant()), prepared);
                dispatch.deadline = delivery;
            }
            if (delivery.passed()) {
                // Nothing more is sent: the rest is reported failed unread, at the cost of a line each.
                batch.end(i, EventSender.deadlinePassed(null, 0));
                unread++;
                continue;
            }
            prepared++;
            if (!(batch.prepare(i) instanceof Prepared ready)) {
                continue;
            }
            if (retained + ready.bytes() > RETAINED_PAYLOAD_BYTES) {
                ready = ready.withoutPayload();
            } else {
                retained += ready.bytes();
                ready = ready.withoutTree();
            }
            dispatch.add(ready);
        }
        delivery = deadline.keepingTail(events.size(), Duration.between(preparing, clock.instant()), prepared);
        dispatch.deadline = delivery;
        dispatch.warnIfTooLarge(unread, Duration.between(preparing, delivery.at()));
        dispatch.finish();
        return batch.report(false);
    }

    /**
     * The dry run (docs/CONTRACT.md §8): decoded, validated, mapped and signed like {@link #process}, but nothing
     * is sent and the dedup cache is neither read nor written. An event that would be sent is reported
     * delivered with 0 attempts (what a real request gets when Ramen answers 200), beside the payload
     * it would carry, {@code auth_hash} redacted.
     */
    public DryRunReport dryRun(List<RawEvent> events) {
        Batch batch = new Batch(events);
        ObjectNode[] payloads = new ObjectNode[events.size()];
        for (int i = 0; i < events.size(); i++) {
            if (batch.prepare(i) instanceof Prepared ready) {
                ObjectNode mapped = ready.tree();
                payloads[i] = DryRunReport.redact(mapped, signer.apply(mapped, ready.plan(), clock.instant()));
                batch.outcomes[i] = DryRunReport.WOULD_BE_DELIVERED;
            }
        }
        return new DryRunReport(batch.report(true), Arrays.asList(payloads));
    }

    /** One request's events as they are prepared and end, in request order. */
    private final class Batch {
        final List<RawEvent> events;
        final EventOutcome[] outcomes;
        final long[] latencyMs;
        private final String[] messageIds;
        private final String[] types;
        private final List<List<String>> warnings;
        /** Events delivered without the idempotency table because it could not be reached, and why. */
        final AtomicInteger unguarded = new AtomicInteger();
        volatile String unguardedCause;

        Batch(List<RawEvent> events) {
            int count = events.size();
            this.events = events;
            this.outcomes = new EventOutcome[count];
            this.latencyMs = new long[count];
            this.messageIds = new String[count];
            this.types = new String[count];
            this.warnings = new ArrayList<>(count);
        }

        /**
         * Decodes element {@code i} (noting its messageId, type as sent, and warnings) and prepares it;
         * never throws. An event that ends here has its outcome noted already.
         */
        Preparation prepare(int i) {
            RawEvent raw = events.get(i);
            Warnings eventWarnings = new Warnings();
            Preparation preparation;
            try {
                SegmentEvent event = raw.decode();
                messageIds[i] = event.messageId();
                types[i] = event.type();
                preparation = EventPipeline.this.prepare(event, raw, eventWarnings);
            } catch (RuntimeException e) {
                preparation = internalError(i, e);
            }
            warnings.add(eventWarnings.list());
            if (preparation instanceof Finished finished) {
                outcomes[i] = finished.outcome();
            }
            return preparation;
        }

        /** Ends element {@code i} unread (its messageId and type unknown), with no warnings. */
        void end(int i, EventOutcome outcome) {
            warnings.add(List.of());
            outcomes[i] = outcome;
        }

        /** One result per event, each logged as its outcome line (marked as a dry run's when it is one). */
        Report report(boolean dryRun) {
            List<EventResult> results = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                EventResult result = new EventResult(events.get(i).index(), messageIds[i], types[i], outcomes[i], warnings.get(i), latencyMs[i]);
                OutcomeLog.log(result, dryRun);
                results.add(result);
            }
            if (unguarded.get() > 0) {
                IdempotencyTable.logUnguarded(unguarded.get(), unguardedCause);
            }
            return Report.of(results);
        }
    }

    private static Finished internalError(int index, RuntimeException e) {
        LOG.errorf("unexpected error preparing event #%d: %s", index, e.getClass().getName());
        return new Finished(EventOutcome.stopped(new Rejection(Reason.INTERNAL_ERROR,
                "unexpected " + e.getClass().getSimpleName() + " while preparing this event")));
    }

    /** Either a final outcome (rejected, skipped) or a payload ready to deliver; each stage's rejection passes through as it is. */
    private Preparation prepare(SegmentEvent event, RawEvent raw, Warnings warnings) {
        Verdict verdict = validator.validate(event);
        if (verdict instanceof Verdict.Stop stop) {
            return new Finished(EventOutcome.stopped(stop.rejection()));
        }
        ObjectNode options = event.ramenOptions();
        MappingResult mapping = mapper.map(event, signer.forwardsSenderHash(options), warnings);
        if (mapping instanceof MappingResult.Rejected rejected) {
            return new Finished(EventOutcome.stopped(rejected.rejection()));
        }
        MappingResult.Mapped mapped = (MappingResult.Mapped) mapping;
        SigningPlan plan = signer.plan(mapped.payload(), options, clock.instant());
        if (plan instanceof SigningPlan.Reject reject) {
            return new Finished(EventOutcome.stopped(reject.rejection()));
        }
        if (event.messageId() == null) {
            warnings.add(Warnings.Code.NO_MESSAGE_ID, "messageId is missing or empty; this event cannot be de-duplicated");
        }
        return new Prepared(raw, event.visitorKey(), event.messageId(), mapped.payload(), mapped.ramen(), plan);
    }

    /** A payload left out of memory is mapped again, exactly as before (the mapping is pure). */
    private Preparation restore(Prepared prepared) {
        if (prepared.payload() != null) {
            return prepared;
        }
        try {
            Preparation again = prepare(prepared.raw().decode(), prepared.raw(), new Warnings());
            return again instanceof Prepared ready ? ready.withoutTree() : again;
        } catch (RuntimeException e) {
            return internalError(prepared.raw().index(), e);
        }
    }

    /**
     * One request's delivery, fed while its events are still being prepared: up to {@code concurrency}
     * visitors' chains at once, each chain in batch order. A chain starts as soon as its first event is
     * ready; an event prepared later for the same visitor joins the end of its chain, which is started
     * again if it had run dry. Once an event of a visitor fails, the rest of that visitor's events, those
     * already waiting and those prepared after, are held back so that the caller's retry cannot reorder
     * them. No thread waits for Ramen: a chain's next event is sent when the previous one's future
     * completes, and a slot that runs dry takes the next waiting chain. Only the preparing thread waits,
     * once, for the whole request ({@link #finish}).
     */
    private final class Dispatch {

        private final Batch batch;
        /** The time delivery may use, estimated again while the events are prepared. */
        volatile Deadline deadline;
        private final Map<String, Chain> chains = new HashMap<>();
        /** Chains with events to send and no slot yet, in the order they became ready. */
        private final ArrayDeque<Chain> waiting = new ArrayDeque<>();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private int running;
        private boolean preparing = true;
        private int events;
        private int longestChain;

        Dispatch(Batch batch, Deadline deadline) {
            this.batch = batch;
            this.deadline = deadline;
        }

        /** One visitor's events: those not yet sent, and whether one of them failed. */
        private static final class Chain {
            final ArrayDeque<Prepared> pending = new ArrayDeque<>();
            int size;
            boolean running;
            boolean queued;
            boolean failed;
        }

        /** A prepared event joins its visitor's chain; after a failure of that visitor it is held back at once. */
        void add(Prepared ready) {
            Chain start;
            synchronized (this) {
                Chain chain = chains.computeIfAbsent(ready.visitorKey(), key -> new Chain());
                events++;
                longestChain = Math.max(longestChain, ++chain.size);
                if (chain.failed) {
                    batch.outcomes[ready.raw().index()] = BLOCKED;
                    return;
                }
                chain.pending.add(ready);
                if (chain.running || chain.queued) {
                    return;
                }
                chain.queued = true;
                waiting.add(chain);
                start = takeSlot();
            }
            if (start != null) {
                run(start);
            }
        }

        /** Every event has been added: waits until the last chain has run dry. */
        void finish() {
            synchronized (this) {
                preparing = false;
                completeWhenIdle();
            }
            done.join();
        }

        /** Under the lock: the next waiting chain, marked running, when a slot is free; else null. */
        private Chain takeSlot() {
            if (running >= concurrency || waiting.isEmpty()) {
                return null;
            }
            Chain chain = waiting.poll();
            chain.queued = false;
            chain.running = true;
            running++;
            return chain;
        }

        private void completeWhenIdle() {
            if (!preparing && running == 0 && waiting.isEmpty()) {
                done.complete(null);
            }
        }

        /**
         * Sends a chain's events in order, then those of whichever chain waits next in the same slot; loops
         * rather than recursing while futures are already complete.
         */
        private void run(Chain first) {
            Chain chain = first;
            while (chain != null) {
                Prepared next;
                synchronized (this) {
                    next = chain.pending.poll();
                    if (next == null) {
                        chain.running = false;
                        running--;
                        chain = takeSlot();
                        completeWhenIdle();
                        continue;
                    }
                }
                long started = System.nanoTime();
                Deadline current = deadline;
                // Past the deadline an event is not sent: it ends at once, without mapping a kept-out payload again.
                Preparation restored = current.passed() ? new Finished(EventSender.deadlinePassed(null, 0)) : restore(next);
                CompletableFuture<EventOutcome> sent = restored instanceof Prepared ready ? deliverOnce(ready, current, batch).toCompletableFuture()
                        : CompletableFuture.completedFuture(((Finished) restored).outcome());
                if (!sent.isDone()) {
                    Chain sending = chain;
                    sent.whenComplete((outcome, error) -> {
                        ended(sending, next, outcome, started);
                        run(sending);
                    });
                    return;
                }
                ended(chain, next, sent.join(), started);
            }
        }

        /** Records one outcome; once an event of the visitor failed, the rest of its events are held back. */
        private void ended(Chain chain, Prepared event, EventOutcome outcome, long started) {
            int index = event.raw().index();
            batch.latencyMs[index] = (System.nanoTime() - started) / 1_000_000;
            batch.outcomes[index] = outcome;
            if (outcome instanceof EventOutcome.Failed) {
                synchronized (this) {
                    chain.failed = true;
                    for (Prepared rest : chain.pending) {
                        batch.outcomes[rest.raw().index()] = BLOCKED;
                    }
                    chain.pending.clear();
                }
            }
        }

        /**
         * docs/CONTRACT.md §5: the largest batch that fits one deadline is about concurrency × deadline ÷ latency;
         * {@code unread} events ended unread when the deadline had passed while preparing; {@code available} is
         * the time from the start of preparation to the deadline.
         */
        void warnIfTooLarge(int unread, Duration available) {
            int count;
            int visitors;
            int longest;
            synchronized (this) {
                count = events + unread;
                visitors = chains.size();
                longest = longestChain;
            }
            long rounds = Math.max((count + concurrency - 1) / concurrency, longest);
            Duration estimate = sender.typicalAnswerTime().multipliedBy(rounds);
            if (estimate.compareTo(available) > 0) {
                LOG.warnf("a batch of %d events (%d visitors, longest chain %d) needs about %d ms at concurrency %d, more than the %d ms left;"
                                + " events not sent in time are reported failed for Segment to retry: lower the batch size",
                        count, visitors, longest, estimate.toMillis(), concurrency, available.toMillis());
            }
        }
    }

    private CompletionStage<EventOutcome> deliverOnce(Prepared prepared, Deadline deadline, Batch batch) {
        String messageId = prepared.messageId();
        if (messageId == null) {
            return send(prepared, deadline);
        }
        switch (dedup.claim(messageId, clock.instant())) {
            case ALREADY_DELIVERED:
                return CompletableFuture.completedFuture(DUPLICATE);
            case IN_FLIGHT:
                return CompletableFuture.completedFuture(DUPLICATE_IN_FLIGHT);
            default:
                break;
        }
        CompletionStage<EventOutcome> sending = table == null ? send(prepared, deadline) : sendOnceAcrossInstances(prepared, deadline, batch);
        return sending.whenComplete((outcome, error) ->
                dedup.release(messageId, outcome instanceof EventOutcome.Delivered || outcome == DUPLICATE_RECORDED, clock.instant()));
    }

    /**
     * Behind the in-memory cache, the idempotency table: claimed with one conditional write, sent,
     * then marked completed (delivered, or permanently rejected) or released (a retryable failure)
     * before the visitor's next event. Different visitors' claims run concurrently.
     */
    private CompletionStage<EventOutcome> sendOnceAcrossInstances(Prepared prepared, Deadline deadline, Batch batch) {
        String messageId = prepared.messageId();
        return table.claim(messageId, deadline.at()).thenCompose(claim -> {
            if (claim instanceof IdempotencyTable.Completed) {
                return CompletableFuture.completedFuture(DUPLICATE_RECORDED);
            }
            if (claim instanceof IdempotencyTable.HeldElsewhere) {
                return CompletableFuture.completedFuture(IN_PROGRESS_ELSEWHERE);
            }
            if (claim instanceof IdempotencyTable.Unreachable unreachable) {
                if (!deliverWhenUnreachable) {
                    return CompletableFuture.completedFuture(IDEMPOTENCY_UNAVAILABLE);
                }
                batch.unguardedCause = unreachable.cause();
                batch.unguarded.incrementAndGet();
                return send(prepared, deadline);
            }
            return send(prepared, deadline).thenCompose(outcome -> (outcome instanceof EventOutcome.Failed
                    ? table.release(messageId)
                    : table.complete(messageId, recordedOutcome(outcome))).thenApply(written -> outcome));
        });
    }

    /** The outcome a completed record keeps: the status, and the reason code when there is one. */
    private static String recordedOutcome(EventOutcome outcome) {
        return outcome.rejection() == null ? outcome.status().wireName() : outcome.status().wireName() + ":" + outcome.rejection().code();
    }

    private CompletionStage<EventOutcome> send(Prepared prepared, Deadline deadline) {
        CompletionStage<EventOutcome> sending;
        try {
            sending = sender.sendAsync(prepared.payload(), prepared.plan(), deadline);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(unexpected(prepared, e));
        }
        return sending.exceptionally(error -> unexpected(prepared, error instanceof CompletionException
                && error.getCause() != null ? error.getCause() : error));
    }

    private static EventOutcome unexpected(Prepared prepared, Throwable e) {
        LOG.errorf("unexpected error delivering event #%d: %s", prepared.raw().index(), e.getClass().getName());
        return EventOutcome.stopped(new Rejection(Reason.INTERNAL_ERROR, "unexpected " + e.getClass().getSimpleName() + " while delivering"));
    }

    /** How preparing one event ended: ready to send, or with its outcome already. */
    private sealed interface Preparation {
    }

    /** The event ended before delivery (rejected, skipped, or an internal error). */
    private record Finished(EventOutcome outcome) implements Preparation {
    }

    /**
     * An event ready to send. {@code tree} is the mapped payload as a tree, for a dry run; it is dropped
     * before the event waits for delivery, which needs only {@code payload}'s bytes. {@code payload} is
     * null when it was left out of memory (see {@link #restore}).
     */
    private record Prepared(RawEvent raw, String visitorKey, String messageId, ObjectNode tree, RamenPayload payload,
                            SigningPlan plan) implements Preparation {
        Prepared withoutPayload() {
            return new Prepared(raw, visitorKey, messageId, null, null, plan);
        }

        Prepared withoutTree() {
            return new Prepared(raw, visitorKey, messageId, null, payload, plan);
        }

        long bytes() {
            return payload.bytes();
        }
    }
}
