package io.segmentramen.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/** Builds the events AWS hands to the function: API Gateway HTTP API (payload 2.0), its authorizer, and SQS. */
public final class LambdaEvents {

    private LambdaEvents() {
    }

    /**
     * An HTTP API payload 2.0 event, as API Gateway builds it: header names lower-cased, a body
     * that is not valid UTF-8 text base64-encoded.
     */
    public static String apiGatewayV2(String method, Map<String, String> headers, byte[] body) {
        return apiGatewayV2(method, headers, body, System.currentTimeMillis());
    }

    /** @param timeEpochMillis when API Gateway received the request ({@code requestContext.timeEpoch}) */
    public static String apiGatewayV2(String method, Map<String, String> headers, byte[] body, long timeEpochMillis) {
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", method + " /events");
        event.put("rawPath", "/events");
        event.put("rawQueryString", "");
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach((name, value) -> headerNode.put(name.toLowerCase(Locale.ROOT), value));
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "123456789012");
        context.put("apiId", "api");
        context.put("requestId", "req-" + System.nanoTime());
        context.put("routeKey", method + " /events");
        context.put("stage", "$default");
        context.put("timeEpoch", timeEpochMillis);
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", "/events");
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "203.0.113.7");
        if (body != null && body.length > 0) {
            String text = utf8OrNull(body);
            if (text != null) {
                event.put("body", text);
                event.put("isBase64Encoded", false);
            } else {
                event.put("body", Base64.getEncoder().encodeToString(body));
                event.put("isBase64Encoded", true);
            }
        } else {
            event.put("isBase64Encoded", false);
        }
        return Json.string(event);
    }

    /** A REST API (payload 1.0) proxy event: headers as sent, repeated ones in multiValueHeaders, requestTimeEpoch. */
    public static String apiGatewayV1(String method, Map<String, String> headers, String body) {
        ObjectNode event = Json.object();
        event.put("resource", "/events");
        event.put("path", "/events");
        event.put("httpMethod", method);
        ObjectNode single = event.putObject("headers");
        ObjectNode multi = event.putObject("multiValueHeaders");
        headers.forEach((name, value) -> {
            single.put(name, value);
            multi.putArray(name).add(value);
        });
        ObjectNode context = event.putObject("requestContext");
        context.put("resourcePath", "/events");
        context.put("httpMethod", method);
        context.put("requestTimeEpoch", System.currentTimeMillis());
        context.put("stage", "prod");
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return Json.string(event);
    }

    /**
     * An HTTP API Lambda REQUEST authorizer event as AWS documents it for payload format 2.0, identity
     * source {@code $request.header.Authorization}; null: no Authorization header.
     */
    public static String authorizer(String authorization) {
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("type", "REQUEST");
        event.put("routeArn", "arn:aws:execute-api:eu-west-1:123456789012:abcdef123/$default/POST/events");
        if (authorization != null) {
            event.putArray("identitySource").add(authorization);
        }
        event.put("routeKey", "POST /events");
        event.put("rawPath", "/events");
        event.put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        headers.put("content-type", "application/json");
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "123456789012");
        context.put("apiId", "abcdef123");
        context.put("requestId", "id");
        context.put("routeKey", "POST /events");
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        context.putObject("http").put("method", "POST").put("path", "/events").put("protocol", "HTTP/1.1").put("sourceIp", "203.0.113.7");
        return Json.string(event);
    }

    /** A REST API (payload 1.0) proxy event whose body is binary: base64, as API Gateway sends compressed bodies. */
    public static String apiGatewayV1Base64(String method, Map<String, String> headers, byte[] body) {
        ObjectNode event = (ObjectNode) Fixtures.parse(apiGatewayV1(method, headers, ""));
        event.put("body", Base64.getEncoder().encodeToString(body));
        event.put("isBase64Encoded", true);
        return Json.string(event);
    }

    /** One SQS record: its own messageId, a body, and optional string message attributes. */
    public record SqsRecord(String messageId, String body, Map<String, String> attributes) {
        public SqsRecord(String messageId, String body) {
            this(messageId, body, Map.of());
        }
    }

    public static String sqs(SqsRecord... records) {
        ObjectNode event = Json.object();
        ArrayNode list = event.putArray("Records");
        for (SqsRecord record : records) {
            ObjectNode node = list.addObject();
            node.put("messageId", record.messageId());
            node.put("receiptHandle", "handle-" + record.messageId());
            node.put("body", record.body());
            ObjectNode attributes = node.putObject("attributes");
            attributes.put("ApproximateReceiveCount", "1");
            attributes.put("SentTimestamp", Long.toString(System.currentTimeMillis()));
            ObjectNode messageAttributes = node.putObject("messageAttributes");
            record.attributes().forEach((name, value) -> {
                ObjectNode attribute = messageAttributes.putObject(name);
                attribute.put("stringValue", value);
                attribute.putArray("stringListValues");
                attribute.putArray("binaryListValues");
                attribute.put("dataType", "String");
            });
            node.put("md5OfBody", "0");
            node.put("eventSource", "aws:sqs");
            node.put("eventSourceARN", "arn:aws:sqs:eu-west-1:123456789012:segment-events");
            node.put("awsRegion", "eu-west-1");
        }
        return Json.string(event);
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
