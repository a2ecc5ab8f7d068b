package io.segmentramen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.delivery.Sleeper;
import io.segmentramen.lambda.SegmentLambdaHandler;
import io.segmentramen.ramen.VertxRamenClient;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.InProcess;
import io.segmentramen.testing.LambdaContext;
import io.segmentramen.testing.LambdaEvents;
import io.segmentramen.testing.LambdaEvents.SqsRecord;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Wall time of the largest invocations against a slow or silent Ramen (bench/deadline/run.sh): the
 * one Lambda handler in this JVM, the deployed defaults (RAMEN_DEADLINE 4 s, RAMEN_TIMEOUT 1 s, 3
 * attempts, concurrency 16), the real Vert.x client and a real clock, the fake Ramen of
 * bench/FakeRamen.java. Shapes: {@code sqs} — 10 records × 900 identify events; {@code http} — 4 000
 * identify events through API Gateway. Prints one line per run: wall time, the Lambda timeout, whether
 * the answer came before it, and what it said.
 *
 *   java -cp ... io.segmentramen.bench.DeadlineBenchmark RAMEN_URL SHAPE TIMEOUT_MS RUNS LABEL
 */
public final class DeadlineBenchmark {

    public static void main(String[] args) throws Exception {
        String ramenUrl = args[0];
        String shape = args[1];
        Duration timeout = Duration.ofMillis(Long.parseLong(args[2]));
        int runs = Integer.parseInt(args[3]);
        String label = args[4];
        Vertx vertx = Vertx.vertx();
        Clock clock = Clock.systemUTC();
        VertxRamenClient client = new VertxRamenClient(vertx, ramenUrl, "/po.json", false, Optional.empty(), "RAMEN_API_KEY", 16,
                Duration.ofSeconds(1), clock);
        InProcess pipeline = new InProcess(client, clock, Sleeper.REAL);
        SegmentLambdaHandler handler = pipeline.lambdaHandler();
        int within = 0;
        long worst = 0;
        for (int run = 1; run <= runs; run++) {
            String tag = label + "-" + run + "-" + System.nanoTime();
            byte[] event = shape.equals("sqs") ? sqs(tag) : http(tag, clock);
            long requestsBefore = ramenRequests(ramenUrl);
            long started = System.nanoTime();
            Object answer = pipeline.invoke(handler, event, LambdaContext.timingOutIn(clock, timeout));
            long wallMs = (System.nanoTime() - started) / 1_000_000;
            long requests = ramenRequests(ramenUrl) - requestsBefore;
            boolean inTime = wallMs < timeout.toMillis();
            within += inTime ? 1 : 0;
            worst = Math.max(worst, wallMs);
            System.out.printf("RESULT %s %s run %2d: %6d ms of %d ms %s; %s; Ramen got %d requests%n", label, shape, run, wallMs,
                    timeout.toMillis(), inTime ? "within" : "OVER", describe(answer), requests);
        }
        System.out.printf("SUMMARY %s %s: %d of %d within the %d ms timeout, slowest %d ms%n", label, shape, within, runs,
                timeout.toMillis(), worst);
        vertx.close();
        System.exit(0);
    }

    /** Requests the fake Ramen has received so far (its GET /__count). */
    private static long ramenRequests(String ramenUrl) throws Exception {
        java.net.http.HttpResponse<String> count = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(ramenUrl + "/__count")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return Fixtures.parse(count.body()).path("requests").asLong();
    }

    private static String describe(Object answer) {
        if (!(answer instanceof JsonNode json)) {
            return "ended in " + answer;
        }
        if (json.has("batchItemFailures")) {
            return json.path("batchItemFailures").size() + " of 10 records listed in batchItemFailures";
        }
        JsonNode report = Fixtures.parse(json.path("body").asText());
        return "status " + json.path("statusCode").asInt() + ", delivered " + report.path("delivered").asInt() + ", failed "
                + report.path("failed").asInt() + ", results " + report.path("results").size();
    }

    private static byte[] sqs(String tag) {
        List<SqsRecord> records = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            List<String> events = new ArrayList<>();
            for (int e = 0; e < 900; e++) {
                events.add(EventSamples.identify("u-" + tag + "-" + r + "-" + e, "m-" + tag + "-" + r + "-" + e));
            }
            records.add(new SqsRecord("rec-" + r, "[" + String.join(",", events) + "]"));
        }
        return LambdaEvents.sqs(records.toArray(SqsRecord[]::new)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] http(String tag, Clock clock) {
        List<String> events = new ArrayList<>();
        for (int e = 0; e < 4000; e++) {
            events.add(EventSamples.identify("u-" + tag + "-" + e, "m-" + tag + "-" + e));
        }
        return LambdaEvents.apiGatewayV2("POST", Map.of("Content-Type", "application/json"),
                ("[" + String.join(",", events) + "]").getBytes(StandardCharsets.UTF_8), clock.millis()).getBytes(StandardCharsets.UTF_8);
    }
}
