package io.segmentramen.segment;

/** What validation decided about one event before it is mapped. */
public sealed interface Verdict {

    record Accept() implements Verdict {
    }

    /** Permanent: retrying the same event cannot help. */
    record Reject(String reason, String message) implements Verdict {
    }

    /** Valid, but nothing goes to Ramen. */
    record Skip(String reason, String message) implements Verdict {
    }

    Accept ACCEPT = new Accept();
}
