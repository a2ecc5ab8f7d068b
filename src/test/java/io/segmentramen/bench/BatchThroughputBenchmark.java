package io.segmentramen.bench;

import com.sun.net.httpserver.HttpServer;
import io.segmentramen.signing.SecureMode;
import io.segmentramen.ramen.Transport;
import io.segmentramen.delivery.Backoff;
import io.segmentramen.delivery.DedupCache;
import io.segmentramen.delivery.Deadline;
import io.segmentramen.delivery.EventPipeline;
import io.segmentramen.delivery.EventSender;
import io.segmentramen.delivery.Report;
import io.segmentramen.delivery.Sleeper;
import io.segmentramen.mapping.ImportRule;
import io.segmentramen.mapping.RamenMapper;
import io.segmentramen.ramen.VertxRamenClient;
import io.segmentramen.segment.EventParser;
import io.segmentramen.segment.EventValidator;
import io.segmentramen.segment.ParsedRequest;
import io.segmentramen.signing.SecureModeSigner;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batch throughput (bench/README.md §5): one request of EVENTS events across VISITORS
 * visitors, delivered over real HTTP to a fake Ramen on 127.0.0.1 that answers after a fixed
 * latency, at several RAMEN_CONCURRENCY values. Prints wall time, events/s and the ratio to the
 * ideal max(ceil(events / concurrency), longest visitor chain) × latency.
 * Run with {@code bench/throughput/run.sh}; the deadline is raised to 10 minutes so every run completes.
 */
public final class BatchThroughputBenchmark {

    private static final AtomicInteger RECEIVED = new AtomicInteger();
    private static volatile long latencyMillis;

    public static void main(String[] args) throws Exception {
        // The JDK's HttpServer leaves Nagle's algorithm on: with the client's delayed ACKs every
        // answer would wait ~40 ms, measuring TCP rather than the function.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int events = Integer.getInteger("events", 2500);
        int visitors = Integer.getInteger("visitors", 500);
        int[] latencies = parse(System.getProperty("latencies", "0,20"));
        int[] concurrencies = parse(System.getProperty("concurrencies", "1,16,64"));
        HttpServer ramen = fakeRamen();
        String url = "http://127.0.0.1:" + ramen.getAddress().getPort();
        byte[] body = batch(events, visitors, "warmup");
        run(url, body, 16, events); // JIT warm-up, not reported
        int chain = (events + visitors - 1) / visitors;
        System.out.printf("%n%d events, %d visitors (chains of %d), deadline raised to 600 s, JDK %s, %d cores%n%n",
                events, visitors, chain, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.println("| Ramen latency | concurrency | wall time | events/s | ideal | wall / ideal | delivered |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (int latency : latencies) {
            latencyMillis = latency;
            for (int concurrency : concurrencies) {
                body = batch(events, visitors, "l" + latency + "c" + concurrency);
                RECEIVED.set(0);
                long started = System.nanoTime();
                Report report = run(url, body, concurrency, events);
                double wallMs = (System.nanoTime() - started) / 1e6;
                long idealMs = (long) Math.max((events + concurrency - 1) / concurrency, chain) * latency;
                System.out.printf("| %d ms | %d | %.0f ms | %.0f | %s | %s | %d/%d (Ramen saw %d) |%n",
                        latency, concurrency, wallMs, events / (wallMs / 1000), latency == 0 ? "—" : idealMs + " ms",
                        latency == 0 ? "—" : String.format("%.2f", wallMs / idealMs), report.delivered(), events, RECEIVED.get());
            }
        }
        ramen.stop(0);
        System.exit(0);
    }

    private static Report run(String url, byte[] body, int concurrency, int events) throws Exception {
        Clock clock = Clock.systemUTC();
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        VertxRamenClient client = new VertxRamenClient(vertx, url, "/po.json", false, Optional.empty(), "RAMEN_API_KEY",
                concurrency, Duration.ofSeconds(5), clock);
        SecureModeSigner signer = new SecureModeSigner(Optional.of("bench-secret"), SecureMode.optional, Duration.ofMinutes(15));
        EventSender sender = new EventSender(client, signer, clock, Sleeper.REAL, new Backoff(Duration.ofMillis(100), Math::random),
                3, Duration.ofSeconds(5));
        try {
            EventPipeline pipeline = new EventPipeline(new EventValidator(32 * 1024), new RamenMapper("bench-org", ImportRule.parse("off"), Clock.systemUTC()), signer, sender,
                    new DedupCache(50_000), concurrency, clock);
            ParsedRequest request = new EventParser(events).parse(body);
            return pipeline.process(request.events(), Deadline.of(clock, clock.instant(), Duration.ofMinutes(10), null));
        } finally {
            vertx.close();
        }
    }

    static byte[] batch(int events, int visitors, String tag) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < events; i++) {
            String user = "u-" + (i % visitors);
            String messageId = tag + "-" + i;
            json.append(i == 0 ? "" : ",").append(i % 2 == 0 ? EventSamples.identify(user, messageId) : EventSamples.track(user, messageId));
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static HttpServer fakeRamen() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(Executors.newFixedThreadPool(256));
        server.createContext("/po.json", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            if (latencyMillis > 0) {
                try {
                    Thread.sleep(latencyMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            RECEIVED.incrementAndGet();
            byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static int[] parse(String list) {
        String[] parts = list.split(",");
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Integer.parseInt(parts[i].trim());
        }
        return values;
    }
}
