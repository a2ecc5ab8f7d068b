package io.segmentramen.segment;

import io.segmentramen.outcome.Reason;

/**
 * One body and its pass 1 ({@link BodyScanner}), done at most once, when first asked: authentication
 * (the bytes Segment's X-Signature covers, docs/CONTRACT.md §6) and parsing (the elements, docs/CONTRACT.md §1)
 * read the same outline instead of each scanning the body. Nothing is scanned until one of them asks,
 * so a request refused on its token alone costs no scan. Not shared between threads: one request's.
 */
public final class ScannedBody {

    private final byte[] body;
    private final int maxElements;
    private boolean scanned;
    private BodyScanner.Outline outline;
    private RequestError error;

    /** @param maxElements more elements than this is a 413 {@code too_many_events} (see {@link EventParser#scan}) */
    ScannedBody(byte[] body, int maxElements) {
        this.body = body;
        this.maxElements = maxElements;
    }

    /** A body for authentication alone: no element limit, so its outline is exactly {@link BodyScanner#signatureOutline}'s. */
    public static ScannedBody unlimited(byte[] body) {
        return new ScannedBody(body, Integer.MAX_VALUE);
    }

    public byte[] body() {
        return body;
    }

    /** Pass 1's outline, or what it found wrong ({@link BodyScanner#outline}). */
    public BodyScanner.Outline outline() throws RequestError {
        scan();
        if (error != null) {
            throw error;
        }
        return outline;
    }

    /**
     * The outline as the X-Signature rule reads it: null where {@link BodyScanner#signatureOutline} gives
     * null. Both scans are the same but for the element limit, so only a body refused for holding too
     * many elements is scanned again, without the limit, to find whether it is a well-formed array.
     */
    public BodyScanner.Outline signatureOutline() {
        scan();
        if (outline != null) {
            return outline;
        }
        return error.reason() == Reason.TOO_MANY_EVENTS ? BodyScanner.signatureOutline(body) : null;
    }

    private void scan() {
        if (scanned) {
            return;
        }
        scanned = true;
        try {
            outline = BodyScanner.outline(body, maxElements);
        } catch (RequestError e) {
            error = e;
        }
    }
}
