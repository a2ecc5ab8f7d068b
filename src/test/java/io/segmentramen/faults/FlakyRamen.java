package io.segmentramen.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * A WireMock Ramen that fails a random ~10 % of requests with a transient 503. The draw for a
 * request depends only on the seed, the payload's message_id and how many times that message_id
 * was seen before, so a run is reproducible however the delivery threads interleave. Every
 * request is recorded in arrival order (a visitor's requests are sequential, so their order in
 * this log is the order Ramen received them).
 */
public class FlakyRamen extends FakeRamen {

    public static final long SEED = 20240501L;
    public static final double FAILURE_RATE = 0.10;

    /** One request as Ramen received it. */
    public record Arrival(long sequence, String messageId, String userId, int status) {
    }

    public static final class RandomFailures implements ResponseDefinitionTransformerV2 {

        private final List<Arrival> arrivals = new ArrayList<>();
        private final Map<String, Integer> seen = new java.util.HashMap<>();

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            JsonNode payload;
            try {
                payload = Json.MAPPER.readTree(serveEvent.getRequest().getBodyAsString());
            } catch (Exception e) {
                return aResponse().withStatus(400).withBody("{\"error\":\"not JSON\"}").build();
            }
            String messageId = payload.path("message_id").asText(null);
            String userId = payload.path("user").path("id").asText(null);
            synchronized (this) {
                int n = seen.merge(String.valueOf(messageId), 1, Integer::sum);
                boolean fail = new SplittableRandom(SEED * 31 + String.valueOf(messageId).hashCode() * 1_000_003L + n)
                        .nextDouble() < FAILURE_RATE;
                int status = fail ? 503 : 200;
                arrivals.add(new Arrival(arrivals.size(), messageId, userId, status));
                return fail ? aResponse().withStatus(503).withBody("{\"error\":\"transient\"}").build()
                        : serveEvent.getResponseDefinition();
            }
        }

        public synchronized List<Arrival> arrivals() {
            return List.copyOf(arrivals);
        }

        @Override
        public String getName() {
            return "random-transient-failures";
        }
    }

    /** Handed to the test through {@link InjectFlakyRamen}. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.FIELD)
    public @interface InjectFlakyRamen {
    }

    private final RandomFailures failures = new RandomFailures();

    @Override
    protected WireMockConfiguration options() {
        return super.options().extensions(failures);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        server().stubFor(post(urlEqualTo("/po.json")).willReturn(aResponse().withStatus(200).withBody("{}")));
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(failures, new TestInjector.AnnotatedAndMatchesType(InjectFlakyRamen.class, RandomFailures.class));
    }
}
