package io.segmentramen.ramen;

import java.time.Duration;
import java.util.Optional;

/** What one HTTP attempt towards Ramen produced. */
public sealed interface RamenReply {

    /** Ramen's response body is read up to this many bytes (docs/CONTRACT.md §5); the rest is discarded unread. */
    int MAX_BODY_BYTES = 64 * 1024;

    /** Ramen answered with a status; {@code body} holds at most {@link #MAX_BODY_BYTES} of it. */
    record Answered(int status, String body, Optional<Duration> retryAfter) implements RamenReply {
    }

    /** No answer within the attempt's timeout. */
    record TimedOut() implements RamenReply {
    }

    /**
     * The connection failed or was dropped before an answer.
     *
     * @param staleConnection a <em>reused</em> pooled connection failed with EOF or reset before any
     *                        response byte — most likely closed by the peer while the Lambda was
     *                        frozen — so one immediate retry on a fresh connection is worth it (docs/CONTRACT.md §5).
     *                        False for anything else, a refused connection included.
     */
    record ConnectionFailed(String detail, boolean staleConnection) implements RamenReply {
    }

    /** The delivering thread was interrupted (the function is stopping): no failure of Ramen's or of the network. */
    record Interrupted() implements RamenReply {
    }
}
