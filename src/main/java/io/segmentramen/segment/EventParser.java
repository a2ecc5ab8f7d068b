package io.segmentramen.segment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a request body into events, streaming so that each event's raw byte span is known: the
 * 32 KB limit is measured on it and Segment's X-Signature covers the raw first array element.
 */
public final class EventParser {

    private final int maxBatchEvents;

    public EventParser(int maxBatchEvents) {
        this.maxBatchEvents = maxBatchEvents;
    }

    public ParsedRequest parse(byte[] body) throws RequestError {
        if (body == null || body.length == 0) {
            throw new RequestError(400, "empty_body", "the request body is empty; send a Segment event, an array of events or {\"batch\": [...]}");
        }
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            JsonToken first = parser.nextToken();
            ParsedRequest request;
            if (first == JsonToken.START_ARRAY) {
                request = new ParsedRequest(ParsedRequest.Shape.ARRAY, toEvents(readArray(parser), null, null));
            } else if (first == JsonToken.START_OBJECT) {
                request = readObject(parser, body);
            } else {
                throw new RequestError(400, "not_events", "the body must be a JSON object (one event or {\"batch\": [...]}) or an array of event objects");
            }
            if (parser.nextToken() != null) {
                throw new RequestError(400, "invalid_json", "the body has content after its JSON value");
            }
            if (request.events().isEmpty()) {
                throw new RequestError(400, "no_events", "the batch holds no events");
            }
            return request;
        } catch (StreamConstraintsException e) {
            throw new RequestError(400, "json_limits_exceeded", "the body exceeds a JSON limit: " + brief(e));
        } catch (JsonProcessingException e) {
            throw new RequestError(400, "invalid_json", "the body is not valid JSON: " + brief(e));
        } catch (IOException e) {
            throw new RequestError(400, "invalid_json", "the body could not be read as JSON: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The bytes Segment's X-Signature covers, found without parsing the whole body, so that a
     * request is authenticated before anything else is done with it: the raw first element of an
     * array, otherwise the whole body (also when the body is not JSON: the signature then cannot match).
     */
    public static byte[] signedBytes(byte[] body) {
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY || parser.nextToken() == JsonToken.END_ARRAY) {
                return body;
            }
            int start = (int) parser.currentTokenLocation().getByteOffset();
            parser.skipChildren();
            int end = (int) parser.currentLocation().getByteOffset();
            return Arrays.copyOfRange(body, start, end);
        } catch (IOException | RuntimeException e) {
            return body;
        }
    }

    private ParsedRequest readObject(JsonParser parser, byte[] body) throws IOException, RequestError {
        ObjectNode envelope = Json.object();
        List<Span> batch = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("batch".equals(name)) {
                if (value != JsonToken.START_ARRAY) {
                    throw new RequestError(400, "invalid_batch", "batch must be an array of events");
                }
                batch = readArray(parser);
            } else {
                envelope.set(name, Json.MAPPER.readTree(parser));
            }
        }
        if (batch == null) {
            SegmentEvent single = new SegmentEvent(0, envelope, body.length);
            return new ParsedRequest(ParsedRequest.Shape.SINGLE, List.of(single));
        }
        return new ParsedRequest(ParsedRequest.Shape.BATCH,
                toEvents(batch, envelope.get("context"), envelope.get("integrations")));
    }

    private List<Span> readArray(JsonParser parser) throws IOException, RequestError {
        List<Span> spans = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (spans.size() == maxBatchEvents) {
                throw new RequestError(413, "too_many_events",
                        "the batch holds more than " + maxBatchEvents + " events (MAX_BATCH_EVENTS); split it");
            }
            int start = (int) parser.currentTokenLocation().getByteOffset();
            JsonNode node = Json.MAPPER.readTree(parser);
            int end = (int) parser.currentLocation().getByteOffset();
            spans.add(new Span(node, start, end));
        }
        return spans;
    }

    private static List<SegmentEvent> toEvents(List<Span> spans, JsonNode context, JsonNode integrations) {
        List<SegmentEvent> events = new ArrayList<>(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            JsonNode node = span.node;
            if (node instanceof ObjectNode event) {
                mergeUnder(event, "context", context);
                mergeUnder(event, "integrations", integrations);
            }
            events.add(new SegmentEvent(i, node, span.end - span.start));
        }
        return events;
    }

    /** Batch-level context/integrations under the event's own: the event's keys win. */
    private static void mergeUnder(ObjectNode event, String field, JsonNode shared) {
        if (!(shared instanceof ObjectNode sharedObject)) {
            return;
        }
        JsonNode own = event.get(field);
        if (own == null || own.isNull()) {
            event.set(field, sharedObject.deepCopy());
        } else if (own instanceof ObjectNode ownObject) {
            Iterator<Map.Entry<String, JsonNode>> fields = sharedObject.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                if (!ownObject.has(entry.getKey())) {
                    ownObject.set(entry.getKey(), entry.getValue().deepCopy());
                }
            }
        }
    }

    private static String brief(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message != null && message.length() > 160) {
            message = message.substring(0, 160) + "…";
        }
        var location = e.getLocation();
        return location == null ? message : message + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private record Span(JsonNode node, int start, int end) {
    }
}
