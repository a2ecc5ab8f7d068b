package io.segmentramen.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code POST /events} through each of its two doors (the full HTTP matrix runs through
 * both): the RESTEasy resource over real HTTP, and an API Gateway HTTP API event invoked through
 * the mock Lambda event server. Both give back status, headers and body the same way.
 */
public enum EntryPoint {

    HTTP {
        @Override
        public Answer send(String method, Map<String, String> headers, byte[] body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + Endpoints.httpPort() + "/events"))
                    .timeout(Duration.ofSeconds(60))
                    .method(method, body == null || body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            try {
                HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
                Map<String, String> answerHeaders = new LinkedHashMap<>();
                response.headers().map().forEach((name, values) -> answerHeaders.put(name, String.join(",", values)));
                return new Answer(response.statusCode(), answerHeaders, response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    },

    API_GATEWAY_V2 {
        @Override
        public Answer send(String method, Map<String, String> headers, byte[] body) {
            byte[] event = LambdaEvents.apiGatewayV2(method, headers, body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String output = Endpoints.lambda().contentType("application/json").body(event).post().then()
                    .statusCode(200).extract().asString();
            JsonNode response = Fixtures.parse(output);
            Map<String, String> answerHeaders = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = response.path("headers").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> header = fields.next();
                answerHeaders.put(header.getKey(), header.getValue().asText());
            }
            return new Answer(response.path("statusCode").asInt(), answerHeaders, response.path("body").asText(null));
        }
    };

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public abstract Answer send(String method, Map<String, String> headers, byte[] body);

    public Answer post(Map<String, String> headers, byte[] body) {
        return send("POST", headers, body);
    }

    /** POST with {@code Content-Type: application/json}. */
    public Answer postJson(String json) {
        return post(Map.of("Content-Type", "application/json"), json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** What came back, whichever door it came through. Header names are case-insensitive. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public Answer {
            TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            caseInsensitive.putAll(headers);
            headers = caseInsensitive;
        }

        public String header(String name) {
            return headers.get(name);
        }

        public JsonNode json() {
            return Fixtures.parse(body);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }
}
