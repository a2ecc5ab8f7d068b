package io.segmentramen.ramen;

import java.time.Duration;
import java.util.Optional;

/** What one HTTP attempt towards Ramen produced. */
public sealed interface RamenReply {

    /** Ramen answered with a status. */
    record Answered(int status, String body, Optional<Duration> retryAfter) implements RamenReply {
    }

    /** No answer within the attempt's timeout. */
    record TimedOut() implements RamenReply {
    }

    /** The connection failed or was dropped before an answer. */
    record ConnectionFailed(String detail) implements RamenReply {
    }
}
