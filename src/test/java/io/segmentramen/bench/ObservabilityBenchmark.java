package io.segmentramen.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.delivery.EventOutcome;
import io.segmentramen.delivery.EventResult;
import io.segmentramen.delivery.OutcomeLog;
import io.segmentramen.json.Json;
import io.segmentramen.observability.MetricsEmitter;
import io.segmentramen.observability.RequestMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What operability adds per event (bench/README.md §4; it counts in the CPU per event): the outcome
 * line, now written with a streaming generator and carrying warnings, dryRun and awsRequestId, plus
 * counting it into the request's metrics; against the tree-built line it replaces. And the EMF
 * line, once per request.
 * Run with {@code bench/pipeline/run.sh} after replacing the class name, or:
 * {@code java -cp "$(bash bench/classpath.sh)" org.openjdk.jmh.Main ObservabilityBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ObservabilityBenchmark {

    private final EventResult result = new EventResult(3, "msg-4f1c2e9a-b2d1-4c55-9e0f-2b7d7c1a9e31", "identify",
            new EventOutcome.Delivered(1, 200), List.of("trait 'favouriteColor' is an object: flattened to favouriteColor.primary"), 42L);
    private final MetricsEmitter emitter = new MetricsEmitter("bench", Clock.systemUTC());
    private RequestMetrics request;

    @Setup(Level.Iteration)
    public void open() {
        request = RequestMetrics.empty();
    }

    /** The line as the previous version built it: an ObjectNode tree, then serialised (warnings added for a fair comparison). */
    @Benchmark
    public String outcomeLineAsTree() {
        ObjectNode line = Json.object();
        line.put("messageId", OutcomeLog.mask(result.messageId()));
        line.put("type", result.type());
        line.put("status", result.status().wireName());
        line.put("reason", result.reason());
        line.put("ramenStatus", result.ramenStatus());
        line.put("attempts", result.attempts());
        line.put("latencyMs", 42L);
        ArrayNode warnings = line.putArray("warnings");
        result.warnings().forEach(w -> warnings.add(OutcomeLog.mask(w)));
        return Json.string(line);
    }

    /** The line as written now (streaming generator), and counted into the request's metrics. */
    @Benchmark
    public String outcomeLineStreamedAndCounted() {
        String line = OutcomeLog.line(result, false);
        request.outcome(result.status(), result.rejectionReason(), result.attempts(), result.latencyMs());
        return line;
    }

    /** Once per request, not per event. */
    @Benchmark
    public String emfLine() {
        return emitter.line(request.snapshot(false));
    }
}
