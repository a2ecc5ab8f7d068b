package floor;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-event floor: the least a function can do to deliver the product's events — post the product's
 * own request bodies (captured from it by the benchmark), with the same Vert.x client, pool, keep-alive,
 * headers and concurrency as the product's Ramen client, one visitor's events in order and up to
 * RAMEN_CONCURRENCY visitors at once, and answer with the count. No parsing, mapping, signing,
 * deduplication, time-out timer or outcome line: what the product spends beyond this is its own work.
 *
 * FLOOR_BODIES: a file of lines "batch TAB visitor TAB body", grouped by batch and visitor, in order.
 * Invocation k posts batch k (modulo the number of batches). Read at start, so that no event pays for it.
 */
@ApplicationScoped
public class PerEventFloor {

    private static final String USER_AGENT = "segment-ramen-destination/0.1.0";
    private static final int KEEP_ALIVE_SECONDS = 20;

    @Inject
    Vertx vertx;

    private final List<List<List<byte[]>>> batches = new ArrayList<>();
    private HttpClient http;
    private String host;
    private int port;
    private String path;
    private int concurrency;
    private int next;

    void load(@Observes StartupEvent started) throws IOException {
        String file = System.getenv("FLOOR_BODIES");
        if (file == null || file.isEmpty()) {
            return;
        }
        Map<String, Map<String, List<byte[]>>> byBatch = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
            String[] parts = line.split("\t", 3);
            byBatch.computeIfAbsent(parts[0], k -> new LinkedHashMap<>())
                    .computeIfAbsent(parts[1], k -> new ArrayList<>())
                    .add(parts[2].getBytes(StandardCharsets.UTF_8));
        }
        byBatch.values().forEach(chains -> batches.add(new ArrayList<>(chains.values())));
        URI uri = URI.create(env("RAMEN_BASE_URL", "http://127.0.0.1:8080") + env("RAMEN_PATH", "/po.json"));
        host = uri.getHost();
        port = uri.getPort();
        path = uri.getRawPath();
        concurrency = Integer.parseInt(env("RAMEN_CONCURRENCY", "16"));
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setConnectTimeout(1000)
                .setTcpNoDelay(true)
                .setTryUseCompression(false);
        http = vertx.httpClientBuilder()
                .with(options)
                .with(new PoolOptions().setHttp1MaxSize(concurrency).setMaxWaitQueueSize(-1))
                .withConnectHandler(connection -> connection.exceptionHandler(ignored -> { }))
                .build();
    }

    boolean loaded() {
        return !batches.isEmpty();
    }

    byte[] postNextBatch() {
        Batch batch = new Batch(batches.get(next++ % batches.size()));
        int slots = Math.max(1, Math.min(concurrency, batch.chains.size()));
        batch.running.set(slots);
        for (int i = 0; i < slots; i++) {
            nextChain(batch);
        }
        batch.done.join();
        String report = "{\\\"delivered\\\":" + batch.delivered.get() + ",\\\"failed\\\":" + batch.failed.get() + "}";
        return ("{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":\"" + report + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void nextChain(Batch batch) {
        int index = batch.nextChain.getAndIncrement();
        if (index >= batch.chains.size()) {
            if (batch.running.decrementAndGet() == 0) {
                batch.done.complete(null);
            }
            return;
        }
        send(batch, batch.chains.get(index), 0);
    }

    private void send(Batch batch, List<byte[]> chain, int position) {
        if (position == chain.size()) {
            nextChain(batch);
            return;
        }
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI(path)
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", USER_AGENT)
                .putHeader("Accept", "application/json");
        http.request(request).onComplete(created -> {
            if (created.failed()) {
                answered(batch, chain, position, 0);
                return;
            }
            created.result().send(Buffer.buffer(chain.get(position))).onComplete(sent -> {
                if (sent.failed()) {
                    answered(batch, chain, position, 0);
                    return;
                }
                HttpClientResponse response = sent.result();
                response.body().onComplete(body -> answered(batch, chain, position, body.succeeded() ? response.statusCode() : 0));
            });
        });
    }

    private void answered(Batch batch, List<byte[]> chain, int position, int status) {
        (status / 100 == 2 ? batch.delivered : batch.failed).incrementAndGet();
        send(batch, chain, position + 1);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static final class Batch {
        final List<List<byte[]>> chains;
        final AtomicInteger nextChain = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Batch(List<List<byte[]>> chains) {
            this.chains = chains;
        }
    }
}
