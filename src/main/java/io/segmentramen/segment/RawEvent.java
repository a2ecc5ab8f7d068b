package io.segmentramen.segment;

/**
 * One element of a request as pass 1 found it: its byte span in the body, not yet decoded. Pass 2
 * ({@link #decode()}) happens when the pipeline comes to it, so that a large batch never holds
 * more than a few decoded events at a time.
 */
public record RawEvent(int index, byte[] body, int start, int end, Envelope envelope, int maxEventBytes) {

    /** The element's own bytes plus the batch envelope it inherits. */
    public int rawBytes() {
        return end - start + envelope.extraBytes();
    }

    public RawEvent withIndex(int newIndex) {
        return new RawEvent(newIndex, body, start, end, envelope, maxEventBytes);
    }

    /** Pass 2: this element alone, strictly; what is wrong with it is carried in the event, never thrown. */
    public SegmentEvent decode() {
        return EventParser.decode(this);
    }
}
