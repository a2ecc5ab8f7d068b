package io.segmentramen.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.signing.SecureMode;
import io.segmentramen.mapping.MappingResult;
import io.segmentramen.mapping.ImportRule;
import io.segmentramen.mapping.RamenMapper;
import io.segmentramen.segment.EventParser;
import io.segmentramen.segment.EventValidator;
import io.segmentramen.segment.ParsedRequest;
import io.segmentramen.segment.SegmentEvent;
import io.segmentramen.segment.Verdict;
import io.segmentramen.signing.SecureModeSigner;
import io.segmentramen.signing.SigningPlan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The pure per-event cost (issue: benchmarks): raw bytes → parse → validate → map → plan and sign
 * (SHA-256) → serialise the Ramen payload, on one thread, without any network.
 * Run with {@code bench/pipeline/run.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class PipelineBenchmark {

    @Param({"identify", "group", "track", "page"})
    public String type;

    private byte[] body;
    private final EventParser parser = new EventParser(4000);
    private final EventValidator validator = new EventValidator(32 * 1024);
    private final RamenMapper mapper = new RamenMapper("bench-org", ImportRule.parse("off"), Clock.systemUTC());
    private final SecureModeSigner signer = new SecureModeSigner(Optional.of("bench-secret"), SecureMode.optional, Duration.ofMinutes(15));
    private final Instant now = Instant.parse("2026-11-28T12:00:00Z");

    @Setup
    public void setUp() {
        body = EventSamples.of(type).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] pipeline() throws Exception {
        ParsedRequest request = parser.parse(body);
        SegmentEvent event = request.events().get(0).decode();
        if (!(validator.validate(event) instanceof Verdict.Accept)) {
            throw new IllegalStateException("sample must be valid");
        }
        ObjectNode options = event.ramenOptions();
        MappingResult.Mapped mapped = (MappingResult.Mapped) mapper.map(event, signer.forwardsSenderHash(options));
        SigningPlan plan = signer.plan(mapped.payload(), options, now);
        return signer.wire(mapped.ramen(), plan, now);
    }
}
