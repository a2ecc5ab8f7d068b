package io.segmentramen.testing;

import io.segmentramen.ramen.RamenClient;
import io.segmentramen.ramen.RamenReply;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Ramen on a {@link SlowCpuClock}: answers 200 after {@code latency} of that clock, or never
 * (null latency: every attempt times out). The payload is serialised as the real client does, and
 * the {@code message_id} of every attempt that Ramen answered before its timeout is kept.
 */
public final class SlowRamen implements RamenClient {

    private final SlowCpuClock clock;
    private final Duration latency;
    public final Set<String> delivered = ConcurrentHashMap.newKeySet();

    public SlowRamen(SlowCpuClock clock, Duration latency) {
        this.clock = clock;
        this.latency = latency;
    }

    @Override
    public CompletionStage<RamenReply> sendAsync(byte[] json, Duration timeout) {
        String messageId = Fixtures.parse(new String(json, java.nio.charset.StandardCharsets.UTF_8)).path("message_id").asText();
        CompletableFuture<RamenReply> reply = new CompletableFuture<>();
        clock.after(timeout).thenRun(() -> reply.complete(new RamenReply.TimedOut()));
        if (latency != null && latency.compareTo(timeout) < 0) {
            clock.after(latency).thenRun(() -> {
                if (reply.complete(new RamenReply.Answered(200, "{}", Optional.empty()))) {
                    delivered.add(messageId);
                }
            });
        }
        return reply;
    }
}
