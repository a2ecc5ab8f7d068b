package io.segmentramen.auth;

import io.segmentramen.segment.BodyScanner;
import io.segmentramen.segment.ParsedRequest;
import io.segmentramen.segment.ScannedBody;

/**
 * Segment's X-Signature byte rule: on a JSON array (Webhooks (Actions) batching) Segment signs the
 * raw bytes of the first element only. The span comes from pass 1's byte scanner
 * ({@link BodyScanner#signatureOutline}, the one place that computes spans), without decoding
 * anything, so that a request is authenticated before anything else is done with it; the parser
 * then reuses that scan ({@link ScannedBody}).
 *
 * @param start        offset of the first element's first byte
 * @param end          offset just after its last byte
 * @param moreElements the array holds more than this element (its signature leaves them unsigned)
 */
public record SignedSpan(int start, int end, boolean moreElements) {

    /** The first element of a non-empty top-level array, or null when the body is anything else (or malformed). */
    public static SignedSpan firstElement(byte[] body) {
        return firstElement(ScannedBody.unlimited(body));
    }

    /** The same, from the outline the body's one scan found (or finds now). */
    public static SignedSpan firstElement(ScannedBody body) {
        BodyScanner.Outline outline = body.signatureOutline();
        if (outline == null || outline.shape() != ParsedRequest.Shape.ARRAY || outline.elements().isEmpty()) {
            return null;
        }
        BodyScanner.Span first = outline.elements().get(0);
        return new SignedSpan(first.start(), first.end(), outline.elementCount() > 1);
    }

    public int length() {
        return end - start;
    }
}
