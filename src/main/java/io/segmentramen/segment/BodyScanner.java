package io.segmentramen.segment;

import io.segmentramen.outcome.Reason;
import io.segmentramen.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pass 1 of the two-pass parsing (docs/CONTRACT.md §1): a non-recursive byte scanner that finds the outer shape
 * of a body (one object, an array, or {@code {"batch": [...]}}) and the byte span of each element,
 * without decoding any element. Only a body whose outer structure cannot be found is refused
 * whole; what is wrong inside an element is pass 2's business ({@link EventParser}), for that
 * element alone.
 *
 * <p>Also the one place that knows which bytes Segment's X-Signature covers ({@link #outline}
 * gives the spans; {@code auth.SignedSpan} the first element).
 */
public final class BodyScanner {


    /** A byte range {@code [start, end)} of the body. */
    public record Span(int start, int end) {
        public int length() {
            return end - start;
        }
    }

    /**
     * What pass 1 found.
     *
     * @param elements     the events' spans: the object itself for {@link ParsedRequest.Shape#SINGLE}
     * @param context      span of the batch envelope's {@code context} value, or null
     * @param integrations span of the batch envelope's {@code integrations} value, or null
     */
    public record Outline(ParsedRequest.Shape shape, List<Span> elements, int elementCount, Span context, Span integrations) {
    }

    private final byte[] body;
    private final int limit;
    private final int keep;
    private int pos;
    private int count;

    private BodyScanner(byte[] body, int keep) {
        this.body = body;
        this.limit = body.length;
        this.keep = keep;
    }

    /**
     * The outer shape and element spans of a body.
     *
     * @param maxElements more elements than this is a 413 {@code too_many_events}
     * @throws RequestError 400 ({@code empty_body}, {@code not_events}, {@code invalid_json},
     *                      {@code invalid_batch}, {@code no_events}), 413, or 415 for a UTF-16/32 body
     */
    public static Outline outline(byte[] body, int maxElements) throws RequestError {
        if (body == null || body.length == 0) {
            throw new RequestError(Reason.EMPTY_BODY, "the request body is empty; send a Segment event, an array of events or {\"batch\": [...]}");
        }
        checkEncoding(body);
        return new BodyScanner(body, Integer.MAX_VALUE).scan(maxElements);
    }

    /**
     * The span of an array body's first element, or null when the body is not a well-formed
     * non-empty array: the bytes Segment's X-Signature covers for a batched request (docs/CONTRACT.md §6).
     * {@code elementCount} of the answer tells how many elements the array holds.
     */
    public static Outline signatureOutline(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            checkEncoding(body);
            return new BodyScanner(body, 1).scan(Integer.MAX_VALUE);
        } catch (RequestError e) {
            return null;
        }
    }

    /**
     * RFC 8259 §8.1: JSON exchanged between systems is UTF-8. A UTF-16/32 byte order mark, or a
     * NUL among the first four bytes (how UTF-16/32 text that starts with ASCII looks), is another
     * encoding: 415, never decoded as if it were UTF-8 (byte offsets would mean nothing). So is gzip
     * data that no Content-Encoding declared, named as such.
     */
    static void checkEncoding(byte[] body) throws RequestError {
        int b0 = body[0] & 0xFF;
        int b1 = body.length > 1 ? body[1] & 0xFF : -1;
        if (b0 == 0x1F && b1 == 0x8B) { // gzip's magic number: compressed, and not said so
            throw new RequestError(Reason.UNSUPPORTED_CONTENT_ENCODING,
                    "the body is gzip-compressed data, but no Content-Encoding: gzip header says so; send that header with it");
        }
        boolean bom = (b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE);
        boolean nul = false;
        for (int i = 0; i < Math.min(4, body.length); i++) {
            nul |= body[i] == 0;
        }
        if (bom || nul) {
            throw new RequestError(Reason.UNSUPPORTED_MEDIA_TYPE,
                    "the body is not UTF-8 (it looks like UTF-16 or UTF-32, RFC 8259 §8.1); send JSON as UTF-8");
        }
    }

    /**
     * docs/CONTRACT.md §1: the media type itself is not checked (a missing Content-Type, {@code text/plain},
     * {@code application/json-seq} all reach the parser, which refuses a body that is not JSON);
     * only a declared {@code charset} other than UTF-8 is a 415, like the byte patterns of
     * {@link #checkEncoding}.
     *
     * @param contentType the request's Content-Type header, or null
     */
    public static void checkDeclaredCharset(String contentType) throws RequestError {
        if (contentType == null) {
            return;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter.length == 2 && parameter[0].trim().equalsIgnoreCase("charset")) {
                String charset = parameter[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw new RequestError(Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type declares charset " + charset
                            + "; JSON is exchanged as UTF-8 (RFC 8259 §8.1): send it as UTF-8 and declare charset=utf-8 or none");
                }
            }
        }
    }

    private Outline scan(int maxElements) throws RequestError {
        if (limit >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            pos = 3; // a UTF-8 byte order mark, which RFC 8259 lets a parser ignore
        }
        skipWhitespace();
        if (pos >= limit) {
            throw new RequestError(Reason.EMPTY_BODY, "the request body holds no JSON value; send a Segment event, an array of events or {\"batch\": [...]}");
        }
        byte first = body[pos];
        Outline outline;
        if (first == '[') {
            List<Span> spans = array(maxElements);
            outline = new Outline(ParsedRequest.Shape.ARRAY, spans, count, null, null);
        } else if (first == '{') {
            outline = object(maxElements);
        } else if (first == '"' || first == '-' || (first >= '0' && first <= '9') || first == 't' || first == 'f' || first == 'n') {
            throw new RequestError(Reason.NOT_EVENTS,
                    "the body must be a JSON object (one event or {\"batch\": [...]}) or an array of event objects");
        } else {
            throw invalid("the body does not start with a JSON object or array");
        }
        skipWhitespace();
        if (pos < limit) {
            throw invalid("the body has content after its JSON value (byte " + pos + ")");
        }
        if (outline.elementCount() == 0) {
            throw new RequestError(Reason.NO_EVENTS, "the batch holds no events");
        }
        return outline;
    }

    /** At '[': the spans of its elements; leaves pos after ']'. */
    private List<Span> array(int maxElements) throws RequestError {
        pos++;
        List<Span> spans = new ArrayList<>();
        count = 0;
        skipWhitespace();
        if (pos < limit && body[pos] == ']') {
            pos++;
            return spans;
        }
        while (true) {
            if (count == maxElements) {
                throw new RequestError(Reason.TOO_MANY_EVENTS,
                        "the batch holds more than " + maxElements + " events (MAX_BATCH_EVENTS); split it");
            }
            skipWhitespace();
            int start = pos;
            value();
            if (count++ < keep) {
                spans.add(new Span(start, pos));
            }
            skipWhitespace();
            if (pos >= limit) {
                throw invalid("the array is not closed");
            }
            byte next = body[pos++];
            if (next == ']') {
                return spans;
            }
            if (next != ',') {
                throw invalid("expected ',' or ']' between array elements (byte " + (pos - 1) + ")");
            }
        }
    }

    /** At '{': a single event, or the {"batch": [...]} envelope. */
    private Outline object(int maxElements) throws RequestError {
        int start = pos;
        pos++;
        List<Span> batch = null;
        Span context = null;
        Span integrations = null;
        boolean batchNotArray = false;
        int batchCount = 0;
        skipWhitespace();
        if (pos < limit && body[pos] == '}') {
            pos++;
            return new Outline(ParsedRequest.Shape.SINGLE, List.of(new Span(start, pos)), 1, null, null);
        }
        while (true) {
            skipWhitespace();
            if (pos >= limit || body[pos] != '"') {
                throw invalid("expected a field name (byte " + pos + ")");
            }
            int keyStart = pos;
            string();
            String key = key(keyStart, pos);
            skipWhitespace();
            if (pos >= limit || body[pos] != ':') {
                throw invalid("expected ':' after a field name (byte " + pos + ")");
            }
            pos++;
            skipWhitespace();
            int valueStart = pos;
            if ("batch".equals(key)) {
                if (batch != null) {
                    throw invalid("the field batch appears twice");
                }
                if (pos >= limit || body[pos] != '[') {
                    value();
                    batch = List.of();
                    batchNotArray = true;
                } else {
                    batch = array(maxElements);
                    batchCount = count;
                }
            } else {
                value();
                Span span = new Span(valueStart, pos);
                if ("context".equals(key)) {
                    if (context != null) {
                        throw invalid("the field context appears twice");
                    }
                    context = span;
                } else if ("integrations".equals(key)) {
                    if (integrations != null) {
                        throw invalid("the field integrations appears twice");
                    }
                    integrations = span;
                }
            }
            skipWhitespace();
            if (pos >= limit) {
                throw invalid("the object is not closed");
            }
            byte next = body[pos++];
            if (next == '}') {
                break;
            }
            if (next != ',') {
                throw invalid("expected ',' or '}' between fields (byte " + (pos - 1) + ")");
            }
        }
        if (batch == null) {
            return new Outline(ParsedRequest.Shape.SINGLE, List.of(new Span(start, pos)), 1, null, null);
        }
        if (batchNotArray) {
            throw new RequestError(Reason.INVALID_BATCH, "batch must be an array of events");
        }
        return new Outline(ParsedRequest.Shape.BATCH, batch, batchCount, context, integrations);
    }

    /** Skips one JSON value of any kind, counting brackets instead of recursing. */
    private void value() throws RequestError {
        if (pos >= limit) {
            throw invalid("a value is missing at the end of the body");
        }
        byte b = body[pos];
        if (b == '"') {
            string();
            return;
        }
        if (b == '{' || b == '[') {
            long depth = 0;
            while (pos < limit) {
                byte c = body[pos];
                if (c == '"') {
                    string();
                    continue;
                }
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                    if (depth == 0) {
                        pos++;
                        return;
                    }
                }
                pos++;
            }
            throw invalid("an object or array is not closed");
        }
        int start = pos;
        while (pos < limit && isScalarByte(body[pos])) {
            pos++;
        }
        if (pos == start) {
            throw invalid("expected a value (byte " + pos + ")");
        }
    }

    private static boolean isScalarByte(byte b) {
        return b != ',' && b != ']' && b != '}' && b != '{' && b != '[' && b != ':' && b != '"'
                && b != ' ' && b != '\t' && b != '\n' && b != '\r';
    }

    /** At '"': leaves pos after the closing quote. */
    private void string() throws RequestError {
        pos++;
        while (pos < limit) {
            byte c = body[pos++];
            if (c == '\\') {
                pos++;
            } else if (c == '"') {
                return;
            }
        }
        throw invalid("a string is not closed");
    }

    /** A field name between the quotes at [start, end); escapes are decoded (rare in keys). */
    private String key(int start, int end) throws RequestError {
        boolean escaped = false;
        for (int i = start + 1; i < end - 1; i++) {
            escaped |= body[i] == '\\';
        }
        if (!escaped) {
            return new String(body, start + 1, end - start - 2, java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            return Json.MAPPER.readValue(body, start, end - start, String.class);
        } catch (IOException e) {
            throw invalid("a field name is not a valid JSON string");
        }
    }

    private void skipWhitespace() {
        while (pos < limit) {
            byte b = body[pos];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return;
            }
            pos++;
        }
    }

    private static RequestError invalid(String why) {
        return new RequestError(Reason.INVALID_JSON_BODY, "the body is not valid JSON: " + why);
    }
}
