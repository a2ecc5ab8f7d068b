package io.segmentramen.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.observability.RequestMetrics;
import io.segmentramen.http.HttpAnswer;
import io.segmentramen.json.Json;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.InProcess;
import io.segmentramen.testing.LambdaEvents;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * API Gateway's proxy response carries the answer's JSON as an escaped string (docs/CONTRACT.md §2): the body
 * API Gateway hands on must be exactly the answer the core wrote, whatever its text holds, and the response
 * exactly what writing it as a JSON tree gives.
 */
class ApiGatewayResponseTest {

    private static final List<String> TEXT = List.of("", "plain", "Ünïcode €", "\"quoted\"", "back\\slash", "tab\there", "line\nbreak",
            "\r\b\f", "\u0000\u001f\u007f", "\u2028\u2029", "😀 emoji", "</script>", "\uFFFD");

    /** The response as a JSON tree, written whole: what the adapter's bytes must be. */
    private static byte[] asTree(HttpAnswer answer) {
        ObjectNode response = Json.object();
        response.put("statusCode", answer.status());
        ObjectNode headers = response.putObject("headers");
        answer.headers().forEach(headers::put);
        response.put("body", answer.bodyText());
        response.put("isBase64Encoded", false);
        return Json.bytes(response);
    }

    @Test
    void theResponseIsTheAnswerAsAnEscapedStringWhateverItsText() throws Exception {
        Random random = new Random(20_261_206L);
        for (int run = 0; run < 5_000; run++) {
            ObjectNode body = Json.object();
            int fields = random.nextInt(6);
            for (int i = 0; i < fields; i++) {
                body.put(TEXT.get(random.nextInt(TEXT.size())) + i, TEXT.get(random.nextInt(TEXT.size())));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            if (random.nextBoolean()) {
                headers.put("Retry-After", Integer.toString(random.nextInt(100)));
            }
            HttpAnswer answer = new HttpAnswer(200 + random.nextInt(400), headers, Json.bytes(body), RequestMetrics.empty());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ApiGatewayEvents.writeResponse(answer, out);
            byte[] response = out.toByteArray();
            assertArrayEquals(asTree(answer), response, () -> new String(response, StandardCharsets.UTF_8));
            assertEquals(answer.bodyText(), Fixtures.parse(new String(response, StandardCharsets.UTF_8)).path("body").asText());
        }
    }

    @Test
    void theBodyApiGatewayHandsOnIsTheReportAsTheHttpEntryPointWritesIt() throws Exception {
        String events = "[{\"type\":\"track\",\"event\":\"Ünïcode \\\"€\\\" \\u2028\",\"userId\":\"u1\",\"messageId\":\"m\\n1\"},"
                + "{\"type\":\"identify\",\"userId\":\"u2\",\"messageId\":\"m2\",\"traits\":{\"email\":\"not an email\"}}]";
        byte[] body = events.getBytes(StandardCharsets.UTF_8);
        InProcess direct = InProcess.open(Clock.systemUTC());
        byte[] report = direct.http.handle(new io.segmentramen.http.InboundRequest("POST", Map.of("Content-Type", "application/json"), body,
                java.time.Instant.now(), null)).body();

        InProcess viaGateway = InProcess.open(Clock.systemUTC());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        viaGateway.lambdaHandler().handleRequest(new ByteArrayInputStream(LambdaEvents.apiGatewayV2("POST",
                Map.of("content-type", "application/json"), body).getBytes(StandardCharsets.UTF_8)), out, null);
        JsonNode response = Fixtures.parse(out.toString(StandardCharsets.UTF_8));

        assertEquals(200, response.path("statusCode").asInt());
        assertEquals(new String(report, StandardCharsets.UTF_8), response.path("body").asText());
        assertEquals(1, Fixtures.parse(response.path("body").asText()).path("rejected").asInt());
    }
}
