package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.mapping.MappingResult;
import io.segmentramen.mapping.Warnings;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * validate → map → sign → deliver → report, for every event of one request. Events of different
 * visitors go out concurrently; a visitor's own events go in batch order, and once one of them
 * fails the rest are held back so that the caller's retry cannot reorder them.
 */
public final class EventPipeline {

    private static final Logger LOG = Logger.getLogger(EventPipeline.class);
    private static final long ASSUMED_RAMEN_LATENCY_MICROS = 50_000;
    /** Mapped payloads kept in memory between mapping and delivery, in bytes of JSON. */
    static final long RETAINED_PAYLOAD_BYTES = 4L << 20;

    private final EventValidator validator;
    private final RamenMapper mapper;
    private final SecureModeSigner signer;
    private final EventSender sender;
    private final DedupCache dedup;
    private final Executor executor;
    private final int concurrency;
    private final Clock clock;
    private volatile long averageLatencyMicros = ASSUMED_RAMEN_LATENCY_MICROS;

    public EventPipeline(EventValidator validator, RamenMapper mapper, SecureModeSigner signer, EventSender sender,
                         DedupCache dedup, Executor executor, int concurrency, Clock clock) {
        this.validator = validator;
        this.mapper = mapper;
        this.signer = signer;
        this.sender = sender;
        this.dedup = dedup;
        this.executor = executor;
        this.concurrency = concurrency;
        this.clock = clock;
    }

    /**
     * One result per element, whatever the elements hold. Each element is decoded (SPEC §13 pass 2),
     * validated and mapped in turn and its tree dropped at once; mapped payloads are kept for
     * delivery up to {@value #RETAINED_PAYLOAD_BYTES} bytes in all, beyond which an event is mapped
     * again when its turn to be sent comes, so that a 6 MB body never holds more than that at once.
     */
    public Report process(List<RawEvent> events, Deadline deadline) {
        int count = events.size();
        EventOutcome[] outcomes = new EventOutcome[count];
        long[] latencyMs = new long[count];
        String[] messageIds = new String[count];
        String[] types = new String[count];
        List<List<String>> warnings = new ArrayList<>(count);
        Map<String, List<Prepared>> chains = new LinkedHashMap<>();
        long retained = 0;
        for (int i = 0; i < count; i++) {
            RawEvent raw = events.get(i);
            Warnings eventWarnings = new Warnings();
            Object prepared;
            String visitorKey = "i:" + i;
            try {
                SegmentEvent event = raw.decode();
                messageIds[i] = event.messageId();
                types[i] = event.type();
                prepared = prepare(event, raw, eventWarnings);
                if (prepared instanceof Prepared) {
                    visitorKey = event.visitorKey();
                }
            } catch (RuntimeException e) {
                prepared = internalError(i, e);
            }
            warnings.add(eventWarnings.list());
            if (prepared instanceof EventOutcome outcome) {
                outcomes[i] = outcome;
                continue;
            }
            Prepared ready = (Prepared) prepared;
            if (retained + ready.bytes() > RETAINED_PAYLOAD_BYTES) {
                ready = ready.withoutPayload();
            } else {
                retained += ready.bytes();
            }
            chains.computeIfAbsent(visitorKey, key -> new ArrayList<>()).add(ready);
        }
        warnIfTooLarge(chains, deadline);
        deliver(chains, deadline, outcomes, latencyMs);
        return report(events, messageIds, types, outcomes, warnings, latencyMs);
    }

    /**
     * The dry run (SPEC §14): decoded, validated, mapped and signed like {@link #process}, but nothing
     * is sent and the dedup cache is neither read nor written. An event that would be sent is reported
     * delivered with 0 attempts (what a real request gets when Ramen answers 200), beside the payload
     * it would carry, {@code auth_hash} redacted.
     */
    public DryRunReport dryRun(List<RawEvent> events) {
        int count = events.size();
        EventOutcome[] outcomes = new EventOutcome[count];
        ObjectNode[] payloads = new ObjectNode[count];
        String[] messageIds = new String[count];
        String[] types = new String[count];
        List<List<String>> warnings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            RawEvent raw = events.get(i);
            Warnings eventWarnings = new Warnings();
            Object prepared;
            try {
                SegmentEvent event = raw.decode();
                messageIds[i] = event.messageId();
                types[i] = event.type();
                prepared = prepare(event, raw, eventWarnings);
            } catch (RuntimeException e) {
                prepared = internalError(i, e);
            }
            warnings.add(eventWarnings.list());
            if (prepared instanceof Prepared ready) {
                payloads[i] = DryRunReport.redact(ready.payload(), signer.apply(ready.payload(), ready.plan(), clock.instant()));
                outcomes[i] = DryRunReport.WOULD_BE_DELIVERED;
            } else {
                outcomes[i] = (EventOutcome) prepared;
            }
        }
        return new DryRunReport(report(events, messageIds, types, outcomes, warnings, new long[count]), Arrays.asList(payloads));
    }

    private Report report(List<RawEvent> events, String[] messageIds, String[] types, EventOutcome[] outcomes,
                          List<List<String>> warnings, long[] latencyMs) {
        int count = events.size();
        List<EventResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EventResult result = EventResult.of(events.get(i).index(), messageIds[i], types[i], outcomes[i], warnings.get(i));
            OutcomeLog.log(result, latencyMs[i]);
            results.add(result);
        }
        return Report.of(results, List.of(outcomes));
    }

    private static EventOutcome internalError(int index, RuntimeException e) {
        LOG.errorf("unexpected error preparing event #%d: %s", index, e.getClass().getName());
        return new EventOutcome.Failed("internal_error", "unexpected " + e.getClass().getSimpleName() + " while preparing this event",
                0, null, Optional.empty());
    }

    /** Either a final outcome (rejected, skipped) or a payload ready to deliver. */
    private Object prepare(SegmentEvent event, RawEvent raw, Warnings warnings) {
        Verdict verdict = validator.validate(event);
        if (verdict instanceof Verdict.Reject reject) {
            return new EventOutcome.Rejected(reject.reason(), reject.message(), 0, null);
        }
        if (verdict instanceof Verdict.Skip skip) {
            return new EventOutcome.Skipped(skip.reason(), skip.message());
        }
        ObjectNode options = event.ramenOptions();
        MappingResult mapping = mapper.map(event, signer.forwardsSenderHash(options), warnings);
        if (mapping instanceof MappingResult.Rejected rejected) {
            return new EventOutcome.Rejected(rejected.reason(), rejected.message(), 0, null);
        }
        MappingResult.Mapped mapped = (MappingResult.Mapped) mapping;
        SigningPlan plan = signer.plan(mapped.payload(), options, clock.instant());
        if (plan instanceof SigningPlan.Reject reject) {
            return new EventOutcome.Rejected(reject.reason(), reject.message(), 0, null);
        }
        if (event.messageId() == null) {
            warnings.add(Warnings.Code.NO_MESSAGE_ID, "messageId is missing; this event cannot be de-duplicated");
        }
        return new Prepared(raw, event.messageId(), mapped.payload(), mapped.bytes(), plan);
    }

    /** A payload left out of memory is mapped again, exactly as before (the mapping is pure). */
    private Object restore(Prepared prepared) {
        if (prepared.payload() != null) {
            return prepared;
        }
        try {
            return prepare(prepared.raw().decode(), prepared.raw(), new Warnings());
        } catch (RuntimeException e) {
            return internalError(prepared.raw().index(), e);
        }
    }

    private void deliver(Map<String, List<Prepared>> chains, Deadline deadline, EventOutcome[] outcomes, long[] latencyMs) {
        if (chains.size() == 1) {
            runChain(chains.values().iterator().next(), deadline, outcomes, latencyMs);
            return;
        }
        List<CompletableFuture<Void>> running = new ArrayList<>(chains.size());
        for (List<Prepared> chain : chains.values()) {
            running.add(CompletableFuture.runAsync(() -> runChain(chain, deadline, outcomes, latencyMs), executor));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }

    private void runChain(List<Prepared> chain, Deadline deadline, EventOutcome[] outcomes, long[] latencyMs) {
        boolean blocked = false;
        for (Prepared prepared : chain) {
            int index = prepared.raw().index();
            if (blocked) {
                outcomes[index] = new EventOutcome.Failed("blocked_by_earlier_failure",
                        "an earlier event of this visitor failed; not sent so that a retry keeps their order", 0, null, Optional.empty());
                continue;
            }
            long started = System.nanoTime();
            Object restored = restore(prepared);
            EventOutcome outcome = restored instanceof Prepared ready ? deliverOnce(ready, deadline) : (EventOutcome) restored;
            long micros = (System.nanoTime() - started) / 1_000;
            latencyMs[index] = micros / 1_000;
            if (outcome instanceof EventOutcome.Delivered) {
                averageLatencyMicros = (averageLatencyMicros * 7 + micros) / 8;
            }
            outcomes[index] = outcome;
            blocked = outcome instanceof EventOutcome.Failed;
        }
    }

    private EventOutcome deliverOnce(Prepared prepared, Deadline deadline) {
        String messageId = prepared.messageId();
        if (messageId == null) {
            return send(prepared, deadline);
        }
        switch (dedup.claim(messageId, clock.instant())) {
            case ALREADY_DELIVERED:
                return new EventOutcome.Skipped("duplicate", "messageId was already delivered by this instance");
            case IN_FLIGHT:
                return new EventOutcome.Skipped("duplicate_in_flight", "messageId is being delivered by another request right now");
            default:
                break;
        }
        EventOutcome outcome = null;
        try {
            outcome = send(prepared, deadline);
            return outcome;
        } finally {
            dedup.release(messageId, outcome instanceof EventOutcome.Delivered, clock.instant());
        }
    }

    private EventOutcome send(Prepared prepared, Deadline deadline) {
        try {
            return sender.send(prepared.payload(), prepared.plan(), deadline);
        } catch (RuntimeException e) {
            LOG.errorf("unexpected error delivering event #%d: %s", prepared.raw().index(), e.getClass().getName());
            return new EventOutcome.Failed("internal_error", "unexpected " + e.getClass().getSimpleName() + " while delivering",
                    0, null, Optional.empty());
        }
    }

    /** SPEC §6: the largest batch that fits one deadline is about concurrency × deadline ÷ latency. */
    private void warnIfTooLarge(Map<String, List<Prepared>> chains, Deadline deadline) {
        int events = 0;
        int longestChain = 0;
        for (List<Prepared> chain : chains.values()) {
            events += chain.size();
            longestChain = Math.max(longestChain, chain.size());
        }
        long rounds = Math.max((events + concurrency - 1) / concurrency, longestChain);
        Duration estimate = Duration.ofNanos(rounds * averageLatencyMicros * 1_000);
        if (estimate.compareTo(deadline.remaining()) > 0) {
            LOG.warnf("a batch of %d events (%d visitors, longest chain %d) needs about %d ms at concurrency %d, more than the %d ms left;"
                            + " events not sent in time are reported failed for Segment to retry: lower the batch size",
                    events, chains.size(), longestChain, estimate.toMillis(), concurrency, deadline.remaining().toMillis());
        }
    }

    /** An event ready to send; {@code payload} is null when it was left out of memory (see {@link #restore}). */
    private record Prepared(RawEvent raw, String messageId, ObjectNode payload, long bytes, SigningPlan plan) {
        Prepared withoutPayload() {
            return new Prepared(raw, messageId, null, bytes, plan);
        }
    }
}
