import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounded load test of POST /events (issue: delivery): CLIENTS concurrent clients each post BATCHES
 * batches of BATCH_SIZE events to the function's HTTP endpoint, which delivers to a fake Ramen
 * started here on 127.0.0.1:RAMEN_PORT answering after LATENCY_MS. Prints events/s and request
 * latency percentiles, then checks that nothing was lost: every messageId reached Ramen exactly once
 * and every report counted every event. Exit 1 when anything is missing or duplicated.
 *
 *   java bench/load/LoadTest.java run http://127.0.0.1:18090/events 18089 CLIENTS BATCHES BATCH_SIZE LATENCY_MS
 *   java bench/load/LoadTest.java idle-runtime-api PORT     (a Lambda Runtime API that never hands out an event,
 *                                                             so the native executable serves HTTP only)
 */
public class LoadTest {

    private static final Map<String, AtomicInteger> RECEIVED = new ConcurrentHashMap<>();
    private static final Pattern MESSAGE_ID = Pattern.compile("\"message_id\":\"([^\"]+)\"");
    private static final Pattern COUNT = Pattern.compile("\"(delivered|skipped|rejected|failed)\":(\\d+)");

    public static void main(String[] args) throws Exception {
        // The JDK's HttpServer leaves Nagle's algorithm on: answers would wait for delayed ACKs (~40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        if (args[0].equals("idle-runtime-api")) {
            HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 16);
            api.createContext("/", exchange -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    exchange.close();
                }
            });
            api.setExecutor(Executors.newCachedThreadPool());
            api.start();
            return;
        }
        String url = args[1];
        int ramenPort = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        int batches = Integer.parseInt(args[4]);
        int batchSize = Integer.parseInt(args[5]);
        long latency = Long.parseLong(args[6]);
        HttpServer ramen = fakeRamen(ramenPort, latency);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger notDelivered = new AtomicInteger();
        AtomicInteger non200 = new AtomicInteger();
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            running.add(pool.submit(() -> {
                for (int b = 0; b < batches; b++) {
                    byte[] body = batch(client, b, batchSize);
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    latenciesMicros.add((System.nanoTime() - t0) / 1_000);
                    if (response.statusCode() != 200) {
                        non200.incrementAndGet();
                    }
                    Matcher counts = COUNT.matcher(response.body());
                    while (counts.find()) {
                        int n = Integer.parseInt(counts.group(2));
                        if (counts.group(1).equals("delivered")) {
                            delivered.addAndGet(n);
                        } else {
                            notDelivered.addAndGet(n);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        ramen.stop(0);

        int expected = clients * batches * batchSize;
        List<Long> sorted = new ArrayList<>(latenciesMicros);
        Collections.sort(sorted);
        long duplicates = RECEIVED.values().stream().filter(count -> count.get() > 1).count();
        int missing = 0;
        for (int c = 0; c < clients; c++) {
            for (int b = 0; b < batches; b++) {
                for (int e = 0; e < batchSize; e++) {
                    if (!RECEIVED.containsKey(messageId(c, b, e))) {
                        missing++;
                    }
                }
            }
        }
        System.out.printf("| clients | batches × events | Ramen latency | events | wall | events/s | p50 | p90 | p99 | max | lost | duplicated | non-200 |%n");
        System.out.printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
        System.out.printf("| %d | %d × %d | %d ms | %d | %.1f s | %.0f | %s | %s | %s | %s | %d | %d | %d |%n",
                clients, batches, batchSize, latency, expected, seconds, expected / seconds,
                ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(percentile(sorted, 99)), ms(sorted.get(sorted.size() - 1)),
                missing, duplicates, non200.get());
        boolean ok = missing == 0 && duplicates == 0 && delivered.get() == expected && notDelivered.get() == 0;
        System.out.println(ok ? "nothing lost: every event reported delivered and received by Ramen exactly once"
                : "LOSS: reported delivered " + delivered.get() + "/" + expected + ", not delivered " + notDelivered.get()
                + ", missing at Ramen " + missing + ", duplicated " + duplicates);
        System.exit(ok ? 0 : 1);
    }

    private static String messageId(int client, int batch, int event) {
        return "load-" + client + "-" + batch + "-" + event;
    }

    private static byte[] batch(int client, int batch, int size) {
        StringBuilder json = new StringBuilder("[");
        for (int e = 0; e < size; e++) {
            String user = "load-user-" + client + "-" + (e % 10);
            json.append(e == 0 ? "" : ",").append(e % 3 == 0
                    ? "{\"type\":\"identify\",\"messageId\":\"" + messageId(client, batch, e) + "\",\"userId\":\"" + user
                    + "\",\"traits\":{\"email\":\"" + user + "@example.com\",\"name\":\"Load User\",\"plan\":\"pro\",\"is_admin\":\"no\"}}"
                    : "{\"type\":\"track\",\"messageId\":\"" + messageId(client, batch, e) + "\",\"userId\":\"" + user
                    + "\",\"event\":\"Report Exported\",\"properties\":{\"rows\":12}}");
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static HttpServer fakeRamen(int port, long latency) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(256));
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (latency > 0) {
                try {
                    Thread.sleep(latency);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Matcher id = MESSAGE_ID.matcher(body);
            if (id.find()) {
                RECEIVED.computeIfAbsent(id.group(1), key -> new AtomicInteger()).incrementAndGet();
            }
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("{}".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        server.start();
        return server;
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String ms(long micros) {
        return String.format("%.0f ms", micros / 1000.0);
    }
}
