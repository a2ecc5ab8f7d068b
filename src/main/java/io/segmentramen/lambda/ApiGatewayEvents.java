package io.segmentramen.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.http.HttpAnswer;
import io.segmentramen.http.InboundRequest;
import io.segmentramen.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** API Gateway proxy events (HTTP API payload 2.0 and REST/payload 1.0) to and from {@link InboundRequest}. */
public final class ApiGatewayEvents {

    private ApiGatewayEvents() {
    }

    public static boolean matches(JsonNode event) {
        return event.isObject() && event.path("requestContext").isObject()
                && (event.has("routeKey") || event.has("httpMethod") || event.path("requestContext").has("http"));
    }

    public static InboundRequest toRequest(JsonNode event, Instant now, Duration lambdaRemaining) {
        JsonNode context = event.path("requestContext");
        String method = event.has("httpMethod") ? event.path("httpMethod").asText() : context.path("http").path("method").asText("POST");
        Map<String, String> headers = new HashMap<>();
        JsonNode multi = event.path("multiValueHeaders");
        if (multi.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = multi.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> header = fields.next();
                StringBuilder joined = new StringBuilder();
                for (JsonNode value : header.getValue()) {
                    joined.append(joined.isEmpty() ? "" : ",").append(value.asText());
                }
                headers.put(header.getKey(), joined.toString());
            }
        }
        JsonNode single = event.path("headers");
        if (single.isObject()) {
            single.fields().forEachRemaining(header -> headers.putIfAbsent(header.getKey(), header.getValue().asText()));
        }
        JsonNode bodyNode = event.get("body");
        byte[] body = bodyNode == null || bodyNode.isNull() ? new byte[0]
                : event.path("isBase64Encoded").asBoolean(false)
                ? decodeBase64(bodyNode.asText())
                : bodyNode.asText().getBytes(StandardCharsets.UTF_8);
        long epochMillis = context.has("timeEpoch") ? context.path("timeEpoch").asLong(0) : context.path("requestTimeEpoch").asLong(0);
        Instant receivedAt = epochMillis > 0 && epochMillis <= now.toEpochMilli() ? Instant.ofEpochMilli(epochMillis) : now;
        return new InboundRequest(method, headers, body, receivedAt, lambdaRemaining);
    }

    public static ObjectNode toResponse(HttpAnswer answer) {
        ObjectNode response = Json.object();
        response.put("statusCode", answer.status());
        ObjectNode headers = response.putObject("headers");
        answer.headers().forEach(headers::put);
        response.put("body", answer.bodyText());
        response.put("isBase64Encoded", false);
        return response;
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
