package io.segmentramen.segment;

import io.segmentramen.outcome.Rejection;

/** What validation decided about one event before it is mapped. */
public sealed interface Verdict {

    record Accept() implements Verdict {
    }

    /** Nothing goes to Ramen: the event ends in its reason's status (skipped, or rejected for good). */
    record Stop(Rejection rejection) implements Verdict {
    }

    Accept ACCEPT = new Accept();
}
