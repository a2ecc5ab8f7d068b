/*
 * Two function processes sharing one idempotency table, Segment's resends and a lossy Ramen
 * (bench/twoinstances/run.sh starts the processes; this file is its fake Ramen, its Segment and its
 * verdict). JDK 17+, no dependencies.
 *
 *   java TwoInstances ramen PORT_FILE SEED TIMEOUT_HOLD_MS
 *       A lossy Ramen on 127.0.0.1 (any free port, written to PORT_FILE). Each run uses its own path
 *       (the function's RAMEN_PATH), counted apart. Every request to Ramen rolls once, from SEED, the
 *       payload's message_id and how many requests for that id came before on that path (so the rolls
 *       do not depend on the order of concurrent requests):
 *         roll < 0.10        refused unprocessed: 503, not counted as received
 *         0.10 <= roll < 0.15 processed (received), the answer held past the function's RAMEN_TIMEOUT
 *                            (TIMEOUT_HOLD_MS), then written late: the function classifies it ramen_timeout
 *         0.15 <= roll < 0.20 processed (received), the connection closed without an answer: the
 *                            function classifies it ramen_unreachable
 *         otherwise          processed, 200 {}
 *       GET /__receipts?path=P -> one line per message_id: "id received answerLost refused".
 *
 *   java TwoInstances drive --out F --run LABEL --ramen URL --ramen-path P --functions URL1,URL2
 *                           [--seed S] [--events 600] [--batch 20] [--attempts 12] [--segment-loss 0.15]
 *                           [--claim-wait-ms 4500]
 *       Segment: EVENTS track events (each its own visitor) in batches of BATCH, {"batch":[...]}, to the
 *       function URLs in turn. A batch is sent again, same messageIds, to the NEXT URL when the answer
 *       was 5xx, 429, a timeout or a failed connection, or when Segment "loses" a 200 (SEGMENT_LOSS of
 *       them, seeded), up to ATTEMPTS sends. After an answer naming in_progress_elsewhere it waits
 *       CLAIM_WAIT_MS first (past the claim's deadline, the function's RAMEN_DEADLINE; Segment's own
 *       backoff is longer). First a warm-up batch per URL (ids "warm-...", not counted) until it answers
 *       200, so that no process's first DynamoDB call is part of the count. Then reads Ramen's receipts
 *       for the path and writes one "key=value ..." line to F.
 *
 *   java TwoInstances check WITH_FILE WITHOUT_FILE
 *       Prints the two runs as a table and exits 1 when, with the table, more messageIds reached Ramen
 *       more often than one plus the answers Ramen lost for them than the functions' logs admit (a
 *       completing update that failed, an event delivered unchecked with the table unreachable: both
 *       logged, normally 0), or an event never reached Ramen; or when, without the table, no messageId
 *       did (the test would then show nothing). run.sh adds the log counts to each result file.
 */

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class TwoInstances {

    private static final Pattern MESSAGE_ID = Pattern.compile("\"message_id\":\"([^\"]+)\"");
    private static final Pattern FAILED = Pattern.compile("\"messageId\":\"([^\"]+)\"[^{}]*?\"status\":\"failed\",\"reason\":\"([a-z_]+)\"");
    private static final Pattern SKIPPED_DUPLICATE = Pattern.compile("\"status\":\"skipped\",\"reason\":\"duplicate\"");

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "ramen" -> ramen(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]));
            case "drive" -> drive(args);
            case "check" -> System.exit(check(read(Path.of(args[1])), read(Path.of(args[2]))));
            default -> {
                System.err.println("usage: java TwoInstances ramen|drive|check ... (see the comment at the top)");
                System.exit(2);
            }
        }
    }

    // ---------------------------------------------------------------- the lossy Ramen

    /** Counts of one message_id on one path. */
    static final class Receipts {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger answerLost = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
    }

    /** A uniform double in [0, 1) from the seed, the id and the request's rank for that id (SplitMix64's finaliser). */
    static double roll(long seed, String id, int rank) {
        long z = seed * 0x9E3779B97F4A7C15L + id.hashCode() * 0xBF58476D1CE4E5B9L + rank * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    static void ramen(Path portFile, long seed, long holdMillis) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Map<String, Map<String, Receipts>> paths = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/__receipts")) {
                    String query = exchange.getRequestURI().getRawQuery();
                    String of = URLDecoder.decode(query == null ? "" : query.replaceFirst("^path=", ""), StandardCharsets.UTF_8);
                    StringBuilder out = new StringBuilder();
                    new TreeMap<>(paths.getOrDefault(of, Map.of())).forEach((id, r) -> out.append(id).append(' ').append(r.received)
                            .append(' ').append(r.answerLost).append(' ').append(r.refused).append('\n'));
                    answer(exchange, 200, out.toString());
                    return;
                }
                Matcher id = MESSAGE_ID.matcher(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                if (!id.find()) {
                    answer(exchange, 400, "{\"message\":\"no message_id\"}");
                    return;
                }
                Receipts receipts = paths.computeIfAbsent(path, p -> new ConcurrentHashMap<>()).computeIfAbsent(id.group(1), k -> new Receipts());
                double roll = roll(seed, id.group(1), receipts.requests.getAndIncrement());
                if (roll < 0.10) {
                    receipts.refused.incrementAndGet();
                    answer(exchange, 503, "{}");
                    return;
                }
                receipts.received.incrementAndGet();
                if (roll < 0.15) {
                    receipts.answerLost.incrementAndGet();
                    Thread.sleep(holdMillis);
                    answer(exchange, 200, "{}"); // too late: the function gave up on this attempt
                } else if (roll < 0.20) {
                    receipts.answerLost.incrementAndGet();
                    // no answer at all: closing the exchange before the response headers closes the connection
                } else {
                    answer(exchange, 200, "{}");
                }
            } catch (IOException | InterruptedException late) {
                // the function already closed the connection of a held answer
            } finally {
                exchange.close();
            }
        });
        server.start();
        Path tmp = Path.of(portFile + ".tmp");
        Files.writeString(tmp, Integer.toString(server.getAddress().getPort()));
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ---------------------------------------------------------------- Segment

    static void drive(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--seed", "20261206", "--events", "600", "--batch", "20",
                "--attempts", "12", "--segment-loss", "0.15", "--claim-wait-ms", "4500"));
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--out", "--run", "--ramen", "--ramen-path", "--functions")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("drive needs " + required);
            }
        }
        Path out = Path.of(options.get("--out"));
        String label = options.get("--run");
        String ramenUrl = options.get("--ramen");
        String ramenPath = options.get("--ramen-path");
        long seed = Long.parseLong(options.get("--seed"));
        int events = Integer.parseInt(options.get("--events"));
        int batchSize = Integer.parseInt(options.get("--batch"));
        int attempts = Integer.parseInt(options.get("--attempts"));
        double segmentLoss = Double.parseDouble(options.get("--segment-loss"));
        long claimWait = Long.parseLong(options.get("--claim-wait-ms"));
        List<String> functions = List.of(options.get("--functions").split(","));

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        long started = System.nanoTime();
        for (int f = 0; f < functions.size(); f++) {
            warmUp(http, functions.get(f), label + "-" + f);
        }
        long warm = System.nanoTime();

        // the result line, in this order; counters start at 0
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("run", label);
        result.put("events", events);
        result.put("batches", (events + batchSize - 1) / batchSize);
        for (String counter : List.of("sends", "resends_after_failure", "resends_after_segment_loss", "ramen_requests", "received",
                "duplicated", "extra_receipts", "after_lost_answer", "unexplained", "never_reached", "failed_at_last_attempt",
                "skipped_duplicate")) {
            result.put(counter, 0);
        }
        Map<String, Integer> failureReasons = new TreeMap<>();
        Random segment = new Random(seed);
        int next = 0;
        for (int start = 0; start < events; start += batchSize) {
            List<String> ids = new ArrayList<>();
            for (int i = start; i < Math.min(events, start + batchSize); i++) {
                ids.add("m-" + i);
            }
            byte[] body = batch(ids);
            for (int attempt = 1; attempt <= attempts; attempt++) {
                add(result, "sends", 1);
                String url = functions.get(next++ % functions.size());
                Answer answer = post(http, url, body);
                Matcher duplicate = SKIPPED_DUPLICATE.matcher(answer.body);
                while (duplicate.find()) {
                    add(result, "skipped_duplicate", 1);
                }
                Matcher failed = FAILED.matcher(answer.body);
                int failedHere = 0;
                boolean claimedElsewhere = false;
                while (failed.find()) {
                    failureReasons.merge(failed.group(2), 1, Integer::sum);
                    claimedElsewhere |= failed.group(2).equals("in_progress_elsewhere");
                    failedHere++;
                }
                boolean retried = answer.status == 0 || answer.status == 429 || answer.status >= 500;
                if (answer.status != 200 && !retried) {
                    throw new IllegalStateException(label + ": " + url + " answered " + answer.status + ", which Segment does not retry: " + answer.body);
                }
                if (!retried && segment.nextDouble() >= segmentLoss) {
                    break;
                }
                if (attempt == attempts) {
                    add(result, "failed_at_last_attempt", retried ? (failedHere == 0 ? ids.size() : failedHere) : 0);
                } else if (retried) {
                    add(result, "resends_after_failure", 1);
                    if (claimedElsewhere) {
                        Thread.sleep(claimWait);
                    }
                } else {
                    add(result, "resends_after_segment_loss", 1);
                }
            }
        }
        long done = System.nanoTime();

        HttpResponse<String> receipts = http.send(HttpRequest.newBuilder(URI.create(ramenUrl + "/__receipts?path=" + ramenPath)).build(),
                HttpResponse.BodyHandlers.ofString());
        int reached = 0;
        for (String line : receipts.body().split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 4 || !f[0].startsWith("m-")) {
                continue;
            }
            int got = Integer.parseInt(f[1]);
            int lost = Integer.parseInt(f[2]);
            add(result, "ramen_requests", got + Integer.parseInt(f[3]));
            add(result, "received", got);
            reached += got > 0 ? 1 : 0;
            if (got > 1) {
                add(result, "duplicated", 1);
                add(result, "extra_receipts", got - 1);
                // each receipt beyond the first must follow one whose answer Ramen lost
                add(result, got - 1 <= lost ? "after_lost_answer" : "unexplained", 1);
            }
        }
        result.put("never_reached", events - reached);
        result.put("failures", failureReasons.isEmpty() ? "-" : failureReasons.toString().replace(" ", "").replaceAll("[{}]", ""));
        result.put("warmup_s", String.format("%.1f", (warm - started) / 1e9));
        result.put("run_s", String.format("%.1f", (done - warm) / 1e9));
        StringBuilder line = new StringBuilder();
        result.forEach((k, v) -> line.append(line.length() == 0 ? "" : " ").append(k).append('=').append(v));
        Files.writeString(out, line + "\n");
        System.out.println(line);
    }

    private static void add(Map<String, Object> result, String counter, int n) {
        result.merge(counter, n, (a, b) -> (Integer) a + (Integer) b);
    }

    record Answer(int status, String body) {
    }

    private static Answer post(HttpClient http, String url, byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException timeoutOrConnection) {
            return new Answer(0, "");
        }
    }

    /** One small batch until the process answers 200: it is listening and has made its first table calls. */
    private static void warmUp(HttpClient http, String url, String name) throws Exception {
        long giveUp = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (int round = 0; ; round++) {
            Answer answer = post(http, url, batch(List.of("warm-" + name + "-" + round + "-a", "warm-" + name + "-" + round + "-b")));
            if (answer.status == 200) {
                return;
            }
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException(url + " did not answer 200 within 90 s (last: " + answer.status + " " + answer.body + ")");
            }
            Thread.sleep(answer.status == 0 ? 250 : 50);
        }
    }

    private static byte[] batch(List<String> ids) {
        StringBuilder json = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            json.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"Ordered\",\"userId\":\"u-").append(id)
                    .append("\",\"messageId\":\"").append(id).append("\",\"properties\":{\"total\":12}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- the verdict

    private static Map<String, String> read(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            for (String pair : line.trim().split(" ")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return values;
    }

    static int check(Map<String, String> with, Map<String, String> without) {
        String[][] rows = {
                {"events", "events"},
                {"batches", "batches"},
                {"sends to a function", "sends"},
                {"resends after a failed answer (5xx, timeout)", "resends_after_failure"},
                {"resends after Segment lost a 200", "resends_after_segment_loss"},
                {"requests reaching Ramen", "ramen_requests"},
                {"receipts (processed by Ramen)", "received"},
                {"messageIds received more than once", "duplicated"},
                {"of those: each extra receipt after a lost Ramen answer", "after_lost_answer"},
                {"of those: unexplained", "unexplained"},
                {"events never received by Ramen", "never_reached"},
                {"events still failed at Segment's last attempt", "failed_at_last_attempt"},
                {"results `skipped` `duplicate`", "skipped_duplicate"},
                {"failure reasons seen by Segment", "failures"},
                {"DynamoDB requests (moto's log)", "table_requests"},
                {"records left in the table (ids of the run)", "table_records"},
                {"logged: completing updates that failed", "completion_failures"},
                {"logged: releases that failed", "release_failures"},
                {"logged: events delivered unchecked (table unreachable)", "unchecked_events"},
                {"wall time of the run (after warm-up)", "run_s"},
        };
        System.out.println("| | with the table | without it |");
        System.out.println("|---|---:|---:|");
        for (String[] row : rows) {
            System.out.println("| " + row[0] + " | " + with.getOrDefault(row[1], "-") + " | " + without.getOrDefault(row[1], "-") + " |");
        }
        List<String> problems = new ArrayList<>();
        int admitted = number(with, "completion_failures") + number(with, "unchecked_events");
        if (number(with, "unexplained") > admitted) {
            problems.add("with the table, " + with.get("unexplained") + " messageIds reached Ramen more often than one plus the answers it lost"
                    + " for them, and the logs admit " + admitted);
        }
        if (number(with, "never_reached") > 0) {
            problems.add("with the table, " + with.get("never_reached") + " events never reached Ramen");
        }
        if (number(without, "never_reached") > 0) {
            problems.add("without the table, " + without.get("never_reached") + " events never reached Ramen");
        }
        if (number(without, "unexplained") == 0) {
            problems.add("without the table, no messageId reached Ramen again after a resend: the run shows nothing");
        }
        if (problems.isEmpty()) {
            System.out.println("\nOK: with the table every duplicate follows an answer Ramen lost"
                    + (number(with, "unexplained") > 0 ? " or a logged table failure" : "")
                    + "; without it, "
                    + without.get("unexplained") + " messageIds were delivered again by the other process");
            return 0;
        }
        problems.forEach(problem -> System.out.println("FAIL: " + problem));
        return 1;
    }

    private static int number(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("no " + key + " in the run's result");
        }
        return Integer.parseInt(value);
    }
}
