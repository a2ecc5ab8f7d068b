package io.segmentramen.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.lambda.PayloadKind;
import io.segmentramen.lambda.SegmentLambdaHandler;
import io.segmentramen.testing.InProcess;
import io.segmentramen.testing.LambdaEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda handler's payload sniffing, called directly (no Quarkus): arbitrary bytes as a direct
 * invocation, or wrapped as an API Gateway v1/v2 event (text or base64), an SQS record or an HTTP
 * API authorizer event. With Ramen answering 200 nothing may end in an exception, and every
 * output is JSON. The sniffer alone: only top-level keys decide the payload kind (checked against a
 * tree-reading oracle, fuzzed and on seeded generated objects), and wrapping a value in an object
 * or array full of significant keys never changes the kind.
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

    /** Fuzzed: the streaming sniffer agrees with the oracle, and nested keys never decide. */
    @FuzzTest(maxDuration = "30s")
    void kindIsDecidedByTopLevelKeys(FuzzedDataProvider data) {
        checkKind(new SniffedObjects(data::consumeInt).object(0));
    }

    /** The same property on seeded generated objects (the fuzz target above runs only its seeds outside fuzzing). */
    @Test
    void kindIsDecidedByTopLevelKeysOnGeneratedObjects() {
        long seed = Long.getLong("properties.seed", 20_261_206L);
        Random random = new Random(seed);
        SniffedObjects objects = new SniffedObjects((min, max) -> min + random.nextInt(max - min + 1));
        for (int i = 0; i < 20_000; i++) {
            checkKind(objects.object(0));
        }
    }

    private static void checkKind(ObjectNode event) {
        byte[] payload = Json.bytes(event);
        PayloadKind kind = PayloadKind.of(payload);
        assertEquals(SniffedObjects.oracle(event), kind, () -> "kind of " + event);
        Iterator<String> names = event.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (SniffedObjects.TYPED_KEYS.contains(name)) {
                continue; // its own value's type is part of the rule (a string "REQUEST", an object, an array)
            }
            for (JsonNode wrapped : SniffedObjects.wrappings(event.get(name))) {
                ObjectNode changed = event.deepCopy();
                changed.set(name, wrapped);
                assertEquals(kind, PayloadKind.of(Json.bytes(changed)), () -> "wrapping " + name + " changed the kind of " + changed);
            }
        }
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
