package io.segmentramen.segment;

import io.segmentramen.outcome.Rejection;

/** What validation decided about one event before it is mapped. */
public sealed interface Verdict {

    record Accept() implements Verdict {
    }

    /** Permanent: retrying the same event cannot help. */
    record Reject(Rejection rejection) implements Verdict {
    }

    /** Valid, but nothing goes to Ramen. */
    record Skip(Rejection rejection) implements Verdict {
    }

    Accept ACCEPT = new Accept();
}
