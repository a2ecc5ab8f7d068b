package io.segmentramen.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.json.Json;
import io.segmentramen.lambda.SegmentLambdaHandler;
import io.segmentramen.testing.InProcess;
import io.segmentramen.testing.LambdaEvents;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda handler's payload sniffing, called directly (no Quarkus): arbitrary bytes as a direct
 * invocation, or wrapped as an API Gateway v1/v2 event (text or base64), an SQS record or an HTTP
 * API authorizer event. With Ramen answering 200 nothing may end in an exception, and every
 * output is JSON.
 */
class LambdaHandlerFuzzTest {

    /** Outcome lines off while fuzzing (JAZZER_FUZZ=1 only) (thousands per second on the console); held so the level sticks. */
    private static final java.util.logging.Logger QUIET = quiet();
    private static final InProcess PIPELINE = InProcess.open(Clock.systemUTC());
    private static final SegmentLambdaHandler HANDLER = PIPELINE.lambdaHandler();

    @FuzzTest(maxDuration = "60s")
    void sniff(FuzzedDataProvider data) {
        int shape = data.consumeInt(0, 6);
        String contentType = data.consumeBoolean() ? "application/json" : data.consumeString(40);
        byte[] body = data.consumeRemainingAsBytes();
        byte[] payload = switch (shape) {
            case 0 -> body;
            case 1 -> LambdaEvents.apiGatewayV2("POST", Map.of("Content-Type", contentType), body).getBytes(StandardCharsets.UTF_8);
            case 2 -> withBase64(LambdaEvents.apiGatewayV2("POST", Map.of("Content-Type", contentType), new byte[0]), body);
            case 3 -> LambdaEvents.apiGatewayV1("POST", Map.of("Content-Type", contentType), new String(body, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> withBase64(LambdaEvents.apiGatewayV1("POST", Map.of("Content-Type", contentType), ""), body);
            case 5 -> LambdaEvents.sqs(new LambdaEvents.SqsRecord("r1", new String(body, StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.UTF_8);
            default -> authorizer(new String(body, StandardCharsets.UTF_8));
        };
        Object out = PIPELINE.invoke(HANDLER, payload);
        assertFalse(out instanceof Throwable, () -> "the handler threw " + out);
        JsonNode json = (JsonNode) out;
        assertTrue(json.isObject(), json::toString);
        if (json.has("statusCode")) {
            assertTrue(json.path("statusCode").asInt() < 500, json::toString);
        }
        PIPELINE.ramen.received.clear();
    }

    private static byte[] withBase64(String event, byte[] body) {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) io.segmentramen.testing.Fixtures.parse(event);
        node.put("body", Base64.getEncoder().encodeToString(body));
        node.put("isBase64Encoded", true);
        return Json.bytes(node);
    }

    /** An HTTP API (payload 2.0) Lambda REQUEST authorizer event with the fuzzed text as its token. */
    private static byte[] authorizer(String token) {
        var event = Json.object();
        event.put("version", "2.0");
        event.put("type", "REQUEST");
        event.put("routeArn", "arn:aws:execute-api:eu-west-1:123456789012:api/$default/POST/events");
        event.putArray("identitySource").add("Bearer " + token);
        event.put("routeKey", "POST /events");
        event.put("rawPath", "/events");
        event.putObject("headers").put("authorization", "Bearer " + token);
        var context = event.putObject("requestContext");
        context.put("routeKey", "POST /events");
        context.putObject("http").put("method", "POST").put("path", "/events");
        return Json.bytes(event);
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.segmentramen");
        if (System.getenv("JAZZER_FUZZ") != null) { // a JVM of its own: other tests' log capture is not disturbed
            logger.setLevel(java.util.logging.Level.OFF);
        }
        return logger;
    }
}
