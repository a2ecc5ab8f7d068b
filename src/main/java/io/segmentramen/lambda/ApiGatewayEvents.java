package io.segmentramen.lambda;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.http.HttpAnswer;
import io.segmentramen.http.InboundRequest;
import io.segmentramen.json.Json;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** API Gateway proxy events (HTTP API payload 2.0 and REST/payload 1.0) to and from {@link InboundRequest}. */
public final class ApiGatewayEvents {

    private static final Logger LOG = Logger.getLogger(ApiGatewayEvents.class);
    /** Older than any live request can be: API Gateway's integration timeout is 30 s. */
    static final Duration MAX_ARRIVAL_AGE = Duration.ofSeconds(60);
    static final Duration MAX_ARRIVAL_SKEW = Duration.ofSeconds(60);

    private ApiGatewayEvents() {
    }

    public static InboundRequest toRequest(JsonNode event, Instant now, Instant lambdaEnd) {
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
        return new InboundRequest(method, headers, body, arrival(epochMillis, now), lambdaEnd);
    }

    /**
     * When API Gateway received the request, if that is believable (docs/CONTRACT.md §5): no live request is
     * older than 60 s (API Gateway gives up after 30 s), and none comes from the future. Anything
     * else — a replayed sample event, {@code sam local invoke -e} with a generated event, a skewed
     * clock — is unknown, and the deadline counts from now, with one warning.
     */
    static Instant arrival(long epochMillis, Instant now) {
        if (epochMillis <= 0) {
            return now;
        }
        long ageMillis = now.toEpochMilli() - epochMillis;
        if (ageMillis < -MAX_ARRIVAL_SKEW.toMillis() || ageMillis > MAX_ARRIVAL_AGE.toMillis()) {
            LOG.warnf("API Gateway's request time is %d s %s; treated as unknown, the deadline counts from now",
                    Math.abs(ageMillis) / 1000, ageMillis < 0 ? "in the future" : "in the past (a replayed or generated event?)");
            return now;
        }
        return ageMillis < 0 ? now : Instant.ofEpochMilli(epochMillis);
    }

    /**
     * The proxy response, written to {@code out} (left open): {@code statusCode}, {@code headers}, {@code body} (the answer's JSON as an
     * escaped string) and {@code isBase64Encoded}. The body's bytes, written once by the core, are escaped
     * straight into the response; they are never decoded into a string and written again. The bytes are the
     * same as writing the body as a string because the core's JSON is written by {@link Json}, which escapes
     * every character outside the Basic Multilingual Plane (its UTF-8 holds no 4-byte sequence to pass through).
     */
    public static void writeResponse(HttpAnswer answer, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.MAPPER.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            json.writeStartObject();
            json.writeNumberField("statusCode", answer.status());
            json.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : answer.headers().entrySet()) {
                json.writeStringField(header.getKey(), header.getValue());
            }
            json.writeEndObject();
            json.writeFieldName("body");
            json.writeUTF8String(answer.body(), 0, answer.body().length);
            json.writeBooleanField("isBase64Encoded", false);
            json.writeEndObject();
        }
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
