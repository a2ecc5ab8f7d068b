package io.segmentramen.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.segmentramen.auth.SignedSpan;
import io.segmentramen.segment.BodyScanner;
import io.segmentramen.segment.EventParser;
import io.segmentramen.segment.EventValidator;
import io.segmentramen.segment.ParsedRequest;
import io.segmentramen.segment.RawEvent;
import io.segmentramen.segment.RequestError;
import io.segmentramen.segment.SegmentEvent;
import io.segmentramen.segment.Verdict;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both passes of the two-pass parsing (docs/CONTRACT.md §1) on arbitrary bytes: pass 1 refuses a body only with a 400, 413
 * or 415; pass 2 never throws, and each element ends as an event or a named rejection. Seeds:
 * {@code src/test/resources/io/segmentramen/fuzz/BodyParserFuzzTestInputs/parse/} (golden and
 * hostile bodies; crashes found by fuzzing are kept there too).
 */
class BodyParserFuzzTest {

    private static final EventParser PARSER = new EventParser(4000, 32_768);
    private static final EventValidator VALIDATOR = new EventValidator(32_768);
    private static final Set<Integer> REFUSALS = Set.of(400, 413, 415);
    private static final Set<String> UNREADABLE = Set.of("invalid_json", "json_limits_exceeded", "event_too_large");

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] body) {
        SignedSpan signed = SignedSpan.firstElement(body);
        assertTrue(signed == null || (0 <= signed.start() && signed.start() < signed.end() && signed.end() <= body.length));
        ParsedRequest request;
        try {
            request = PARSER.parse(body);
        } catch (RequestError e) {
            assertTrue(REFUSALS.contains(e.status()), e.status() + " " + e.code());
            return;
        }
        assertTrue(!request.events().isEmpty());
        BodyScanner.Outline outline = BodyScanner.signatureOutline(body);
        assertNotNull(outline, "a body pass 1 accepts has an outline for the signature check too");
        assertEquals(request.shape(), outline.shape());
        assertEquals(request.events().size(), outline.elementCount());
        for (RawEvent raw : request.events()) {
            SegmentEvent event = raw.decode();
            assertTrue(event.json() != null || event.unreadable() != null || event.rawBytes() > 32_768);
            if (event.json() != null) {
                Invariants.assertNoUnpairedSurrogate(event.json());
            }
            Verdict verdict = VALIDATOR.validate(event);
            if (event.json() == null) {
                // an element that could not be read (or is too large to read) is rejected, for its own reason
                Verdict.Stop reject = assertInstanceOf(Verdict.Stop.class, verdict, () -> "unreadable yet " + verdict);
                assertTrue(UNREADABLE.contains(reject.rejection().code()), reject::toString);
            } else if (verdict instanceof Verdict.Accept) {
                // accepted means something Ramen can take: an object of a known type that names a visitor
                assertTrue(event.isObject() && event.eventType() != null
                        && (event.userId() != null || event.anonymousId() != null), () -> "accepted: " + event.json());
            }
            event.messageId();
            event.type();
            event.visitorKey();
        }
    }
}
