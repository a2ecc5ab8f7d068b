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
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sending does not wait for the whole request to be read (docs/CONTRACT.md §5, "Order"): a visitor's first
 * event goes to Ramen as soon as it is mapped, an event read later joins the end of its visitor's line, and
 * one read after its visitor's failure is held back. The request's events are handed to the pipeline as a
 * list that counts how far it has been read; Ramen notes that count at every request it receives.
 */
class DeliveryWhileReadingTest {

    private final MutableClock clock = new MutableClock();

    /** The request's events, counting the furthest element read so far. */
    private static final class CountingEvents extends AbstractList<RawEvent> {
        private final List<RawEvent> events;
        final AtomicInteger furthest = new AtomicInteger(-1);

        CountingEvents(List<RawEvent> events) {
            this.events = events;
        }

        @Override
        public RawEvent get(int index) {
            furthest.accumulateAndGet(index, Math::max);
            return events.get(index);
        }

        @Override
        public int size() {
            return events.size();
        }
    }

    /** Records each request's message_id and how far the request had been read when it arrived. */
    private static final class Ramen implements RamenClient {
        final List<String> received = new ArrayList<>();
        final List<Integer> readWhenReceived = new ArrayList<>();
        final Map<String, Integer> status = new ConcurrentHashMap<>();
        private final CountingEvents events;
        private final Executor answering;

        Ramen(CountingEvents events, Executor answering) {
            this.events = events;
            this.answering = answering;
        }

        @Override
        public CompletionStage<RamenReply> sendAsync(byte[] json, Duration timeout) {
            String messageId = Fixtures.parse(new String(json, StandardCharsets.UTF_8)).path("message_id").asText();
            synchronized (this) {
                received.add(messageId);
                readWhenReceived.add(events.furthest.get());
            }
            RamenReply reply = new RamenReply.Answered(status.getOrDefault(messageId, 200), "", Optional.empty());
            return CompletableFuture.supplyAsync(() -> reply, answering);
        }
    }

    private EventPipeline pipeline(RamenClient ramen, int concurrency) {
        SecureModeSigner signer = new SecureModeSigner(Optional.empty(), SecureMode.optional, Duration.ofMinutes(15));
        EventSender sender = new EventSender(ramen, signer, clock, Sleeper.REAL, new Backoff(Duration.ofMillis(1), () -> 0.5),
                1, Duration.ofSeconds(1));
        return new EventPipeline(new EventValidator(32_768), new RamenMapper("org-1", ImportRule.parse("off"), Clock.systemUTC()),
                signer, sender, new DedupCache(1_000), concurrency, clock);
    }

    /** Track events: {@code visitors[i]} is the userId of element i, its messageId "m" + i. */
    private static List<RawEvent> events(String... visitors) throws RequestError {
        StringJoiner body = new StringJoiner(",", "[", "]");
        for (int i = 0; i < visitors.length; i++) {
            body.add("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"" + visitors[i] + "\",\"messageId\":\"m" + i + "\"}");
        }
        return new EventParser(1_000).parse(body.toString().getBytes(StandardCharsets.UTF_8)).events();
    }

    /** The userId of each of {@code count} elements: "u" + {@code visitorOf(index)}. */
    private static String[] visitors(int count, IntUnaryOperator visitorOf) {
        return IntStream.range(0, count).mapToObj(i -> "u" + visitorOf.applyAsInt(i)).toArray(String[]::new);
    }

    private Report process(EventPipeline pipeline, List<RawEvent> events) {
        clock.fixAt(Instant.parse("2024-05-01T12:00:00Z"));
        return pipeline.process(events, Deadline.of(clock, clock.instant(), Duration.ofSeconds(30), null));
    }

    @Test
    void theFirstEventGoesToRamenBeforeTheRestOfTheRequestIsRead() throws RequestError {
        String[] visitors = visitors(200, i -> i % 7);
        CountingEvents events = new CountingEvents(events(visitors));
        // Ramen answers at once, on the thread that asks: a request that arrives has been sent, not queued.
        Ramen ramen = new Ramen(events, Runnable::run);

        Report report = process(pipeline(ramen, 4), events);

        assertEquals(200, report.delivered(), report.toString());
        assertEquals(0, ramen.readWhenReceived.get(0), "the first event was sent when only it had been read");
        assertTrue(ramen.readWhenReceived.stream().filter(read -> read < visitors.length - 1).count() > 100,
                "most events are sent while the request is still being read: " + ramen.readWhenReceived);
        for (int visitor = 0; visitor < 7; visitor++) {
            int previous = -1;
            for (String messageId : ramen.received) {
                int index = Integer.parseInt(messageId.substring(1));
                if (index % 7 == visitor) {
                    assertTrue(index > previous, "u" + visitor + "'s events in batch order: " + ramen.received);
                    previous = index;
                }
            }
        }
    }

    @Test
    void eventsReadAfterTheirVisitorFailedAreHeldBackAndTheOthersStillGo() throws RequestError {
        // u0's events at 0, 3, 6, ... 57; its second (m3) fails (503, one attempt) while the rest of the
        // request is still being read, so most of u0's later events are read after the failure.
        String[] visitors = visitors(60, i -> i % 3);
        CountingEvents events = new CountingEvents(events(visitors));
        Ramen ramen = new Ramen(events, Runnable::run);
        ramen.status.put("m3", 503);

        Report report = process(pipeline(ramen, 2), events);

        List<String> sentForU0 = ramen.received.stream().filter(id -> Integer.parseInt(id.substring(1)) % 3 == 0).toList();
        assertEquals(List.of("m0", "m3"), sentForU0, "nothing of u0 after its failure reaches Ramen");
        for (EventResult result : report.results()) {
            int index = result.index();
            String expected = index % 3 != 0 || index == 0 ? "delivered" : index == 3 ? "ramen_unavailable" : "blocked_by_earlier_failure";
            String actual = result.reason() == null ? result.status().wireName() : result.reason();
            assertEquals(expected, actual, "m" + index + ": " + result);
        }
        assertEquals(41, report.delivered(), "u1 and u2 all, and u0's first");
    }

    @Test
    void answersOnOtherThreadsKeepEveryVisitorInOrderAndNoMoreThanTheConcurrencyInFlight() throws Exception {
        String[] visitors = visitors(600, i -> i * 7919 % 50);
        CountingEvents events = new CountingEvents(events(visitors));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Ramen ramen = new Ramen(events, answer -> {
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                pool.execute(() -> {
                    LockSupport.parkNanos(50_000);
                    inFlight.decrementAndGet();
                    answer.run();
                });
            });

            Report report = process(pipeline(ramen, 8), events);

            assertEquals(600, report.delivered(), report.toString());
            assertEquals(600, Set.copyOf(ramen.received).size());
            assertTrue(mostInFlight.get() <= 8, "at most RAMEN_CONCURRENCY requests in flight: " + mostInFlight.get());
            Map<String, Integer> last = new HashMap<>();
            for (String messageId : ramen.received) {
                int index = Integer.parseInt(messageId.substring(1));
                Integer before = last.put(visitors[index], index);
                assertTrue(before == null || before < index, visitors[index] + "'s events in batch order: m" + before + " before m" + index);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
