package io.segmentramen.segment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.json.TextRepair;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Rejection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Two-pass parsing (docs/CONTRACT.md §1). Pass 1 ({@link BodyScanner}) finds the outer shape and each element's
 * byte span; only if it cannot is the body refused whole. Pass 2 ({@link RawEvent#decode()})
 * decodes one element alone, strictly — invalid UTF-8, duplicate keys, nesting deeper than 64, a
 * number over 100 digits, more than 32 KB — and a failure rejects that element only.
 */
public final class EventParser {

    public static final int DEFAULT_MAX_EVENT_BYTES = 32_768;

    private final int maxBatchEvents;
    private final int maxEventBytes;

    public EventParser(int maxBatchEvents) {
        this(maxBatchEvents, DEFAULT_MAX_EVENT_BYTES);
    }

    public EventParser(int maxBatchEvents, int maxEventBytes) {
        this.maxBatchEvents = maxBatchEvents;
        this.maxEventBytes = maxEventBytes;
    }

    /** Pass 1 only: the elements, each to be decoded when its turn comes. */
    public ParsedRequest parse(byte[] body) throws RequestError {
        return parse(scan(body));
    }

    /** A body whose pass 1 is done once, when authentication or {@link #parse(ScannedBody)} first needs it. */
    public ScannedBody scan(byte[] body) {
        return new ScannedBody(body, maxBatchEvents);
    }

    /** Pass 1 only, from the body's one scan (done now unless authentication did it already). */
    public ParsedRequest parse(ScannedBody scanned) throws RequestError {
        byte[] body = scanned.body();
        BodyScanner.Outline outline = scanned.outline();
        Envelope envelope = outline.shape() == ParsedRequest.Shape.BATCH
                ? envelope(body, outline.context(), outline.integrations()) : Envelope.NONE;
        List<RawEvent> events = new ArrayList<>(outline.elements().size());
        for (BodyScanner.Span span : outline.elements()) {
            events.add(new RawEvent(events.size(), body, span.start(), span.end(), envelope, maxEventBytes));
        }
        return new ParsedRequest(outline.shape(), events);
    }

    /** Pass 2 for one element. */
    static SegmentEvent decode(RawEvent raw) {
        int size = raw.rawBytes();
        if (size > raw.maxEventBytes()) {
            // Not decoded; the validator names the limit. Its report line still names it by messageId and type.
            return new SegmentEvent(raw.index(), identifiers(raw), size, null, Set.of());
        }
        if (raw.envelope().problem() != null) {
            return new SegmentEvent(raw.index(), null, size, raw.envelope().problem(), Set.of());
        }
        JsonNode node;
        try {
            node = strict(raw.body(), raw.start(), raw.end(), "the event");
        } catch (Unreadable e) {
            return new SegmentEvent(raw.index(), null, size, e.reject, Set.of());
        }
        Set<String> repaired = Set.of();
        if (TextRepair.mayHoldSurrogateEscape(raw.body(), raw.start(), raw.end())) {
            repaired = new HashSet<>();
            node = TextRepair.repair(node, repaired);
        }
        if (node instanceof ObjectNode object) {
            raw.envelope().mergeInto(object);
        }
        return new SegmentEvent(raw.index(), node, size, null, repaired);
    }

    /**
     * The top-level {@code messageId} and {@code type} of an element too large to decode, read by
     * streaming (children skipped without building anything), each kept only when it is a short
     * string; null when there are none or the element is not readable.
     */
    private static ObjectNode identifiers(RawEvent raw) {
        ObjectNode ids = Json.object();
        try (JsonParser parser = Json.MAPPER.createParser(raw.body(), raw.start(), raw.end() - raw.start())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME && ids.size() < 2) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING && (name.equals("messageId") || name.equals("type"))
                        && parser.getTextLength() <= EventValidator.MAX_MESSAGE_ID_LENGTH && !ids.has(name)) {
                    String text = parser.getText();
                    String repaired = TextRepair.fix(text);
                    ids.put(name, repaired == null ? text : repaired);
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // what was found so far is all there is
        }
        return ids.isEmpty() ? null : ids;
    }

    private Envelope envelope(byte[] body, BodyScanner.Span context, BodyScanner.Span integrations) {
        int extra = (context == null ? 0 : context.length()) + (integrations == null ? 0 : integrations.length());
        if (extra > maxEventBytes) {
            // Every event inheriting it is over the limit: not worth decoding.
            return new Envelope(null, null, extra, null);
        }
        try {
            return new Envelope(envelopeObject(body, context, "the batch's context"),
                    envelopeObject(body, integrations, "the batch's integrations"), extra, null);
        } catch (Unreadable e) {
            return new Envelope(null, null, extra, e.reject);
        }
    }

    private static ObjectNode envelopeObject(byte[] body, BodyScanner.Span span, String what) throws Unreadable {
        if (span == null) {
            return null;
        }
        JsonNode node = strict(body, span.start(), span.end(), what);
        if (TextRepair.mayHoldSurrogateEscape(body, span.start(), span.end())) {
            node = TextRepair.repair(node, new HashSet<>());
        }
        return node instanceof ObjectNode object ? object : null;
    }

    /** Decodes exactly one JSON value from {@code [start, end)} under the limits of {@link Json}. */
    private static JsonNode strict(byte[] body, int start, int end, String what) throws Unreadable {
        if (!isValidUtf8(body, start, end)) {
            throw new Unreadable(new Rejection(Reason.INVALID_JSON, what + " is not valid UTF-8"));
        }
        try {
            return Json.STRICT_READER.readTree(body, start, end - start);
        } catch (StreamConstraintsException e) {
            String message = String.valueOf(e.getOriginalMessage());
            String limit = message.contains("nesting") ? "nests deeper than " + Json.MAX_NESTING_DEPTH + " levels"
                    : message.contains("Number") ? "holds a number longer than " + Json.MAX_NUMBER_LENGTH + " digits"
                    : "exceeds a JSON limit";
            throw new Unreadable(new Rejection(Reason.JSON_LIMITS_EXCEEDED, what + " " + limit));
        } catch (JsonProcessingException e) {
            String message = String.valueOf(e.getOriginalMessage());
            String why = message.startsWith("Duplicate field") ? " has a field name twice" : " is not valid JSON" + where(e);
            throw new Unreadable(new Rejection(Reason.INVALID_JSON, what + why));
        } catch (IOException | RuntimeException e) {
            throw new Unreadable(new Rejection(Reason.INVALID_JSON, what + " could not be read as JSON"));
        }
    }

    /** Where in the element, never what: messages must not echo the sender's data. */
    private static String where(JsonProcessingException e) {
        var location = e.getLocation();
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Strict UTF-8 (no overlong forms, no encoded surrogates); ASCII-only spans are checked by one loop. */
    static boolean isValidUtf8(byte[] body, int start, int end) {
        int i = start;
        while (i < end && body[i] >= 0) {
            i++;
        }
        if (i == end) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, i, end - i));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static final class Unreadable extends Exception {
        final Rejection reject;

        Unreadable(Rejection reject) {
            super(reject.message(), null, false, false);
            this.reject = reject;
        }
    }
}
