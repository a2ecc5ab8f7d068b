package io.segmentramen.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.testing.InProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What invoked the function, told from a streaming scan of the payload (no tree). */
class PayloadKindTest {

    private static PayloadKind kind(String json) {
        return PayloadKind.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authorizerEventPayloadTwo() {
        assertEquals(PayloadKind.AUTHORIZER, kind("{\"version\":\"2.0\",\"type\":\"REQUEST\",\"routeArn\":\"arn:aws:execute-api:x\","
                + "\"identitySource\":[\"Bearer t\"],\"routeKey\":\"POST /events\",\"requestContext\":{\"http\":{\"method\":\"POST\"}}}"));
        assertEquals(PayloadKind.API_GATEWAY, kind("{\"type\":\"TOKEN\",\"routeArn\":\"arn\",\"routeKey\":\"$default\",\"requestContext\":{}}"),
                "only a REQUEST authorizer");
    }

    @Test
    void apiGatewayEventsOfEveryShape() throws IOException {
        assertEquals(PayloadKind.API_GATEWAY, kind("{\"version\":\"2.0\",\"routeKey\":\"POST /events\",\"requestContext\":{\"timeEpoch\":1},\"body\":\"{}\"}"));
        assertEquals(PayloadKind.API_GATEWAY, kind("{\"httpMethod\":\"POST\",\"requestContext\":{\"requestTimeEpoch\":1},\"body\":null}"));
        assertEquals(PayloadKind.API_GATEWAY, kind("{\"rawPath\":\"/\",\"requestContext\":{\"domainName\":\"x\",\"http\":{\"method\":\"POST\"}}}"),
                "a Lambda function URL: requestContext.http without routeKey");
        byte[] sam = getClass().getResourceAsStream("/events/sam-apigateway-aws-proxy.json").readAllBytes();
        assertEquals(PayloadKind.API_GATEWAY, PayloadKind.of(sam));
    }

    @Test
    void sqsEvent() {
        assertEquals(PayloadKind.SQS, kind("{\"Records\":[{\"messageId\":\"1\",\"body\":\"{}\",\"eventSource\":\"aws:sqs\"},{\"eventSource\":\"aws:sqs\"}]}"));
        assertEquals(PayloadKind.DIRECT, kind("{\"Records\":[{\"eventSource\":\"aws:s3\"}]}"));
        assertEquals(PayloadKind.DIRECT, kind("{\"Records\":[]}"));
    }

    @Test
    void segmentPayloadsAreDirect() {
        assertEquals(PayloadKind.DIRECT, kind("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"context\":{\"http\":1}}"));
        assertEquals(PayloadKind.DIRECT, kind("[{\"type\":\"track\"},{\"requestContext\":{},\"routeKey\":\"x\"}]"), "an array is never an AWS event");
        assertEquals(PayloadKind.DIRECT, kind("{\"batch\":[{\"type\":\"page\"}],\"context\":{}}"));
        assertEquals(PayloadKind.DIRECT, kind("{\"requestContext\":{},\"routeKey\":\"x\""), "malformed: the event parser will say so");
        assertEquals(PayloadKind.DIRECT, kind(""));
        assertEquals(PayloadKind.DIRECT, kind("12"));
    }

    @Test
    void nestedKeysAreNeverTakenForTopLevelOnes() {
        // each significant key holding an object or array whose own keys would make another kind
        String apiGatewayInside = "{\"requestContext\":{\"http\":{}},\"routeKey\":\"x\"}";
        String authorizerInside = "{\"type\":\"REQUEST\",\"routeArn\":\"arn\"}";
        String sqsInside = "{\"Records\":[{\"eventSource\":\"aws:sqs\"}]}";
        for (String key : new String[] {"type", "routeArn", "routeKey", "httpMethod", "requestContext", "Records", "properties"}) {
            for (String inside : new String[] {apiGatewayInside, authorizerInside, sqsInside}) {
                for (String value : new String[] {inside, "[" + inside + "]", "[1," + inside + "]"}) {
                    String payload = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"" + key + "\":" + value + "}";
                    assertEquals(PayloadKind.DIRECT, kind(payload), payload);
                }
            }
        }
        assertEquals(PayloadKind.DIRECT, kind("{\"routeKey\":{\"requestContext\":{\"http\":{}}}}"));
        assertEquals(PayloadKind.API_GATEWAY, kind("{\"routeKey\":{\"a\":[{}]},\"requestContext\":{\"x\":{\"http\":1}}}"),
                "routeKey's presence counts, whatever it holds; requestContext.http is read one level down only");
        assertEquals(PayloadKind.SQS, kind("{\"requestContext\":[{\"http\":{}}],\"routeKey\":{},\"Records\":[{\"eventSource\":\"aws:sqs\"}]}"),
                "a requestContext that is an array is skipped whole");
    }

    @Test
    void segmentEventWithAnObjectUnderRouteKeyIsDeliveredAsADirectInvocation() {
        InProcess pipeline = InProcess.open(Clock.systemUTC());
        String event = "{\"type\":\"track\",\"event\":\"Clicked\",\"userId\":\"u-route\",\"messageId\":\"m-route\","
                + "\"routeKey\":{\"requestContext\":{\"http\":{}}}}";

        Object out = pipeline.invoke(pipeline.lambdaHandler(), event.getBytes(StandardCharsets.UTF_8));

        JsonNode report = (JsonNode) out;
        assertFalse(report.has("statusCode"), report::toString);
        assertEquals(1, report.path("delivered").asInt(), report::toString);
        assertEquals("m-route", report.path("results").get(0).path("messageId").asText(), report::toString);
        assertEquals(List.of("m-route"), pipeline.ramen.payloads().stream().map(p -> p.path("message_id").asText()).toList());
    }
}
