package io.segmentramen.lambda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 11 item 5: what invoked the function, told from a streaming scan of the payload (no tree). */
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
}
