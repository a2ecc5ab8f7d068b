package io.segmentramen.lambda;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.segmentramen.json.Json;

import java.io.IOException;

/**
 * What invoked the function, read from the payload's top-level keys by a streaming scan that
 * builds no tree and stops at once on an array: a Segment payload (the direct invocation) is then
 * parsed only by the event parser, and an AWS event only once, into the tree its adapter reads.
 */
public enum PayloadKind {
    /** HTTP API Lambda REQUEST authorizer, payload 2.0: {@code "type": "REQUEST"} and a {@code routeArn}. */
    AUTHORIZER,
    /** API Gateway proxy event: {@code requestContext} with {@code routeKey}, {@code httpMethod} or {@code requestContext.http}. */
    API_GATEWAY,
    /** SQS event: {@code Records} whose first record's {@code eventSource} is {@code aws:sqs}. */
    SQS,
    /** Anything else: Segment's event(s) themselves (or something the event parser will refuse). */
    DIRECT;

    public static PayloadKind of(byte[] payload) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return DIRECT;
            }
            boolean request = false;
            boolean routeArn = false;
            boolean context = false;
            boolean contextHttp = false;
            boolean route = false;
            boolean sqs = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                // Only top-level keys decide: a value that is an object or array is read by the two
                // helpers below or skipped whole, so that its keys are never taken for top-level ones.
                switch (name) {
                    case "type" -> request = value == JsonToken.VALUE_STRING && "REQUEST".equals(parser.getText());
                    case "routeArn" -> routeArn = value == JsonToken.VALUE_STRING;
                    case "routeKey", "httpMethod" -> route = true;
                    case "requestContext" -> {
                        context = value == JsonToken.START_OBJECT;
                        contextHttp = context && hasField(parser, "http");
                    }
                    case "Records" -> sqs = value == JsonToken.START_ARRAY && firstRecordIsSqs(parser);
                }
                if (parser.currentToken() == value) {
                    parser.skipChildren(); // not consumed by a helper (a no-op on a scalar)
                }
            }
            if (request && routeArn) {
                return AUTHORIZER;
            }
            if (context && (route || contextHttp)) {
                return API_GATEWAY;
            }
            return sqs ? SQS : DIRECT;
        } catch (IOException | RuntimeException e) {
            return DIRECT;
        }
    }

    /** At an object's start: reads to its end, saying whether it has the field. */
    private static boolean hasField(JsonParser parser, String field) throws IOException {
        boolean found = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            found |= field.equals(parser.currentName());
            parser.nextToken();
            parser.skipChildren();
        }
        return found;
    }

    /** At an array's start: reads to its end, saying whether its first element has eventSource "aws:sqs". */
    private static boolean firstRecordIsSqs(JsonParser parser) throws IOException {
        boolean sqs = false;
        JsonToken first = parser.nextToken();
        if (first == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("eventSource".equals(name) && value == JsonToken.VALUE_STRING) {
                    sqs = "aws:sqs".equals(parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        } else {
            parser.skipChildren();
        }
        if (first != JsonToken.END_ARRAY) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                parser.skipChildren();
            }
        }
        return sqs;
    }
}
