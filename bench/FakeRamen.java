/*
 * A fake Ramen for benchmarks: answers every request with a fixed status and body `{}` after a
 * configurable latency, and counts the requests. JDK 17+, no dependencies:
 *
 *   java bench/FakeRamen.java [--port N] [--latency-ms N] [--status N] [--threads N] [--port-file F]
 *
 *   --port N        port on 127.0.0.1 (default 0: any free port; see --port-file)
 *   --latency-ms N  delay before each answer (default 20)
 *   --status N      HTTP status of each answer (default 200)
 *   --threads N     handler threads, i.e. requests served concurrently (default 64)
 *   --port-file F   write the chosen port to F once listening (for scripts)
 *   --track-ids     remember each request's `"message_id"` to check that nothing was lost or duplicated
 *
 * Control endpoints (not counted): GET /__count -> {"requests": N, "ids": distinct message_ids seen,
 * "duplicated": message_ids seen more than once, "without_id": requests without one} (the last three
 * only with --track-ids); POST /__reset sets everything to 0; POST /__capture with a file name as its
 * body appends every later request's body to that file, one per line (the wire bytes the per-event
 * floor replays: compact JSON has no raw line breaks), and with an empty body stops and closes it.
 * On exit (SIGTERM/SIGINT) it prints `fake-ramen: N requests` on stderr.
 */

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class FakeRamen {
    public static void main(String[] args) throws Exception {
        // small header and body writes must not wait for delayed ACKs (Nagle): ~40 ms per exchange otherwise
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = 0, status = 200, threads = 64;
        long latencyMs = 20;
        Path portFile = null;
        boolean trackIds = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--track-ids")) {
                trackIds = true;
                continue;
            }
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) usage("missing value for " + a);
            switch (a) {
                case "--port" -> port = Integer.parseInt(v);
                case "--latency-ms" -> latencyMs = Long.parseLong(v);
                case "--status" -> status = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--port-file" -> portFile = Paths.get(v);
                default -> usage("unknown option " + a);
            }
            i++;
        }
        AtomicLong count = new AtomicLong();
        AtomicLong withoutId = new AtomicLong();
        java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> ids = new java.util.concurrent.ConcurrentHashMap<>();
        final boolean track = trackIds;
        final int st = status;
        final long lat = latencyMs;
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        java.util.concurrent.atomic.AtomicReference<OutputStream> capture = new java.util.concurrent.atomic.AtomicReference<>();

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/", ex -> {
            try {
                String path = ex.getRequestURI().getPath();
                if (path.equals("/__count")) {
                    long dup = ids.values().stream().filter(n -> n.get() > 1).count();
                    send(ex, 200, ("{\"requests\":" + count.get() + ",\"ids\":" + ids.size() + ",\"duplicated\":" + dup
                            + ",\"without_id\":" + withoutId.get() + "}").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (path.equals("/__reset")) {
                    count.set(0);
                    withoutId.set(0);
                    ids.clear();
                    send(ex, 200, body);
                    return;
                }
                if (path.equals("/__capture")) {
                    String file = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim();
                    OutputStream old = capture.getAndSet(file.isEmpty() ? null
                            : new java.io.BufferedOutputStream(Files.newOutputStream(Paths.get(file)), 1 << 16));
                    if (old != null) {
                        synchronized (old) {
                            old.close();
                        }
                    }
                    send(ex, 200, body);
                    return;
                }
                byte[] request = ex.getRequestBody().readAllBytes();
                count.incrementAndGet();
                OutputStream out = capture.get();
                if (out != null) {
                    synchronized (out) {
                        out.write(request);
                        out.write('\n');
                    }
                }
                if (track) {
                    String id = messageId(request);
                    if (id == null) withoutId.incrementAndGet();
                    else ids.computeIfAbsent(id, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                }
                if (lat > 0) Thread.sleep(lat);
                send(ex, st, body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ex.close();
            }
        });
        server.start();
        int actual = server.getAddress().getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("fake-ramen: " + count.get() + " requests")));
        if (portFile != null) {
            Path tmp = Paths.get(portFile + ".tmp");
            Files.writeString(tmp, Integer.toString(actual));
            Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        System.err.println("fake-ramen: listening on 127.0.0.1:" + actual + ", status " + st + " after " + lat + " ms, " + threads + " threads");
    }

    /** The value of the first {@code "message_id":"..."} in the body (Ramen's payload names it so), or null. */
    static String messageId(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        int i = s.indexOf("\"message_id\":\"");
        if (i < 0) return null;
        int from = i + 14, to = s.indexOf('"', from);
        return to < 0 ? null : s.substring(from, to);
    }

    static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    static void usage(String why) {
        System.err.println("FakeRamen: " + why);
        System.err.println("usage: java bench/FakeRamen.java [--port N] [--latency-ms N] [--status N] [--threads N] [--port-file F] [--track-ids]");
        System.exit(2);
    }
}
