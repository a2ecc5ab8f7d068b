package io.segmentramen.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.observability.RequestMetrics;
import io.segmentramen.auth.SignedSpan;
import io.segmentramen.delivery.EventResult;
import io.segmentramen.delivery.Report;
import io.segmentramen.http.HttpAnswer;
import io.segmentramen.http.InboundRequest;
import io.segmentramen.json.Json;
import io.segmentramen.lambda.ApiGatewayEvents;
import io.segmentramen.mapping.ImportRule;
import io.segmentramen.mapping.MappingResult;
import io.segmentramen.mapping.RamenMapper;
import io.segmentramen.segment.BodyScanner;
import io.segmentramen.segment.EventParser;
import io.segmentramen.segment.ParsedRequest;
import io.segmentramen.segment.RawEvent;
import io.segmentramen.segment.ScannedBody;
import io.segmentramen.signing.SecureMode;
import io.segmentramen.signing.SecureModeSigner;
import io.segmentramen.signing.SigningPlan;
import io.segmentramen.testing.InProcess;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A/B of the per-request waste, in one JVM, A and B interleaved round by round (the order flipped every
 * round), each op timed by its thread's CPU time and its allocation, so that other processes on the
 * machine weigh on both alike. A is the work as it was done before (reconstructed from the same code:
 * a second scan of the body, the payload's size counted then the signed payload written, the report
 * written, decoded into a string and written again), B is what the product does now.
 * Run with {@code bench/waste/run.sh [rounds] [millis per measurement]}.
 */
public final class WasteAB {

    interface Op {
        Object run() throws Exception;
    }

    record Case(String name, String unit, int units, Op before, Op after) {
    }

    private static volatile int sink;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long millis = args.length > 1 ? Long.parseLong(args[1]) : 300;
        Logger.getLogger("").setLevel(Level.OFF); // the outcome lines of the report set-up
        List<Case> cases = cases();
        for (Case c : cases) { // warm-up
            measure(c.before(), millis * 5);
            measure(c.after(), millis * 5);
        }
        System.out.printf("%d rounds, A and B interleaved (order flipped each round), thread CPU time per %s; load average %s%n",
                rounds, "op", loadAverage());
        System.out.println("| case | A: before (CPU) | B: after (CPU) | B/A (median of rounds) | A alloc | B alloc |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Case c : cases) {
            double[] a = new double[rounds];
            double[] b = new double[rounds];
            double[] ratio = new double[rounds];
            double[] aAlloc = new double[rounds];
            double[] bAlloc = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                double[] first;
                double[] second;
                if (r % 2 == 0) {
                    first = measure(c.before(), millis);
                    second = measure(c.after(), millis);
                    a[r] = first[0]; aAlloc[r] = first[1]; b[r] = second[0]; bAlloc[r] = second[1];
                } else {
                    first = measure(c.after(), millis);
                    second = measure(c.before(), millis);
                    b[r] = first[0]; bAlloc[r] = first[1]; a[r] = second[0]; aAlloc[r] = second[1];
                }
                ratio[r] = b[r] / a[r];
            }
            System.out.printf("| %s | %.2f µs/%s | %.2f µs/%s | %.3f | %,.0f B/%s | %,.0f B/%s |%n", c.name(),
                    median(a) / 1000 / c.units(), c.unit(), median(b) / 1000 / c.units(), c.unit(), median(ratio),
                    median(aAlloc) / c.units(), c.unit(), median(bAlloc) / c.units(), c.unit());
        }
        System.out.println("load average after: " + loadAverage());
    }

    private static String loadAverage() {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg")), StandardCharsets.US_ASCII).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** {CPU ns per op, bytes allocated per op} over about {@code millis} of this thread's CPU. */
    private static double[] measure(Op op, long millis) throws Exception {
        long thread = Thread.currentThread().getId();
        long budget = millis * 1_000_000;
        long ops = 0;
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = THREADS.getThreadAllocatedBytes(thread);
        long cpu;
        int hash = 0;
        do {
            for (int i = 0; i < 16; i++) {
                hash += System.identityHashCode(op.run());
            }
            ops += 16;
            cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        } while (cpu < budget);
        long alloc = THREADS.getThreadAllocatedBytes(thread) - alloc0;
        sink += hash;
        return new double[] {(double) cpu / ops, (double) alloc / ops};
    }

    private static List<Case> cases() throws Exception {
        List<Case> cases = new ArrayList<>();
        EventParser parser = new EventParser(4000);

        // a. The X-Signature's span and the parser's outline: two scans, or one.
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            batch.append(i == 0 ? "" : ",").append(EventSamples.identify("u-" + i, "m-" + i));
        }
        byte[] array = batch.append(']').toString().getBytes(StandardCharsets.UTF_8);
        byte[] single = EventSamples.identify("u-1", "m-1").getBytes(StandardCharsets.UTF_8);
        for (byte[] body : List.of(single, array)) {
            String name = body == single ? "a. scan: 1 identify, signed" : "a. scan: array of 100 identifies, signed";
            cases.add(new Case(name, "request", 1,
                    () -> {
                        BodyScanner.Outline outline = BodyScanner.signatureOutline(body); // before: the authenticator's own scan
                        return new Object[] {outline, parser.parse(body)};
                    },
                    () -> {
                        ScannedBody scanned = parser.scan(body);
                        return new Object[] {SignedSpan.firstElement(scanned), parser.parse(scanned)};
                    }));
        }
        // b. The Ramen payload: its size counted at mapping then the signed copy written, or written once.
        RamenMapper mapper = new RamenMapper("bench-org", ImportRule.parse("off"), Clock.systemUTC());
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        for (String secretKey : List.of("", "ramen-secret")) {
            SecureModeSigner signer = new SecureModeSigner(Optional.of(secretKey), SecureMode.optional, Duration.ofMinutes(15));
            List<MappingResult.Mapped> mapped = new ArrayList<>();
            List<SigningPlan> plans = new ArrayList<>();
            for (String type : List.of("identify", "group", "track", "page")) {
                ParsedRequest request = parser.parse(EventSamples.of(type).getBytes(StandardCharsets.UTF_8));
                RawEvent raw = request.events().get(0);
                MappingResult.Mapped m = (MappingResult.Mapped) mapper.map(raw.decode(), false);
                mapped.add(m);
                plans.add(signer.plan(m.payload(), null, now));
            }
            String name = secretKey.isEmpty() ? "b. payload: 4 events, unsigned" : "b. payload: 4 events, signed each attempt";
            cases.add(new Case(name, "event", 4,
                    () -> {
                        long total = 0;
                        for (int i = 0; i < 4; i++) {
                            ObjectNode tree = mapped.get(i).payload();
                            total += Json.byteCount(tree); // before: the mapper's size check
                            total += Json.bytes(signer.apply(tree, plans.get(i), now)).length; // before: the client's write
                        }
                        return total;
                    },
                    () -> {
                        long total = 0;
                        for (int i = 0; i < 4; i++) {
                            ObjectNode tree = mapped.get(i).payload();
                            // after: the mapper writes it once, for its size and the wire
                            total += signer.wire(io.segmentramen.mapping.RamenPayload.of(tree), plans.get(i), now).length;
                        }
                        return total;
                    }));
        }

        // c. The report of 100 events through API Gateway: written, decoded, written again; or written once.
        InProcess pipeline = InProcess.open(Clock.systemUTC());
        pipeline.ramen.recording = false;
        Report report = pipeline.intake.process(pipeline.intake.parse(array), Instant.now(), null);
        Map<String, String> headers = Map.of("Content-Type", "application/json");
        java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream(); // the Lambda runtime's output, reused
        cases.add(new Case("c. report of 100 events, API Gateway response", "request", 1,
                () -> {
                    HttpAnswer answer = new HttpAnswer(200, headers, Json.bytes(report.toJson(EventResult.Detail.FULL)), RequestMetrics.empty());
                    ObjectNode response = Json.object(); // before: ApiGatewayEvents.toResponse as a tree, then written
                    response.put("statusCode", answer.status());
                    ObjectNode h = response.putObject("headers");
                    answer.headers().forEach(h::put);
                    response.put("body", answer.bodyText());
                    response.put("isBase64Encoded", false);
                    output.reset();
                    output.write(Json.bytes(response));
                    return output;
                },
                () -> {
                    output.reset();
                    ApiGatewayEvents.writeResponse(new HttpAnswer(200, headers, report.toBytes(), RequestMetrics.empty()), output);
                    return output;
                }));
        sink += new InboundRequest("POST", Map.of(), new byte[0], now, null).hashCode();
        return cases;
    }
}
