package io.segmentramen.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.delivery.EventIntake;
import io.segmentramen.delivery.Report;
import io.segmentramen.http.HttpAnswer;
import io.segmentramen.http.HttpCore;
import io.segmentramen.json.Json;
import io.segmentramen.observability.LogContext;
import io.segmentramen.observability.MetricsEmitter;
import io.segmentramen.observability.RequestMetrics;
import io.segmentramen.segment.ParsedRequest;
import io.segmentramen.segment.RequestError;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;

/**
 * The one Lambda handler. It recognises what invoked it — buffered mode's HTTP API authorizer, an
 * API Gateway proxy event, an SQS event, or a raw Segment payload from a direct invocation — and
 * hands each to the shared core.
 */
@Named("segment")
public class SegmentLambdaHandler implements RequestStreamHandler {

    private static final Logger LOG = Logger.getLogger(SegmentLambdaHandler.class);

    @Inject
    HttpCore httpCore;

    @Inject
    EventIntake intake;

    @Inject
    SqsBatchHandler sqs;

    @Inject
    RequestAuthenticator authenticator;

    @Inject
    Clock clock;

    @Inject
    MetricsEmitter metricsEmitter;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        // One EMF line per invocation, and awsRequestId/coldStart on every log line meanwhile (docs/CONTRACT.md §8).
        boolean coldStart = metricsEmitter.firstRequest();
        try (LogContext ignored = LogContext.invocation(context == null ? null : context.getAwsRequestId(), coldStart)) {
            Invocation invocation;
            try {
                invocation = invoke(input, context);
            } catch (IOException | RuntimeException e) {
                metricsEmitter.emit(RequestMetrics.empty(), coldStart); // still one line: ColdStart counts
                throw e;
            }
            metricsEmitter.emit(invocation.metrics(), coldStart);
            if (invocation.failed() != null) {
                throw invocation.failed();
            }
            invocation.result().writeTo(output);
        }
    }

    /**
     * What an invocation produced: the result to return, written once (or, for a direct invocation
     * with failed events, the exception that makes Lambda report an error), and its metrics.
     */
    private record Invocation(Result result, FailedEventsException failed, RequestMetrics metrics) {

        static Invocation answered(JsonNode result, RequestMetrics metrics) {
            return answered(Json.bytes(result), metrics);
        }

        static Invocation answered(byte[] result, RequestMetrics metrics) {
            return new Invocation(out -> out.write(result), null, metrics);
        }
    }

    /** Writes an invocation's result to Lambda's output. */
    @FunctionalInterface
    private interface Result {
        void writeTo(OutputStream out) throws IOException;
    }

    private Invocation invoke(InputStream input, Context context) throws IOException {
        Instant now = clock.instant();
        // Counted from the invocation's start, so that reading and parsing the payload count against it too.
        Instant lambdaEnd = lambdaEnd(context, now);
        byte[] payload = input.readAllBytes();
        PayloadKind kind = PayloadKind.of(payload);
        // A Segment payload goes to the event parser as bytes; an AWS event is read into a tree once.
        JsonNode event = kind == PayloadKind.DIRECT ? null : treeOrNull(payload);
        if (event == null) {
            return direct(payload, now, lambdaEnd);
        }
        return switch (kind) {
            case AUTHORIZER -> {
                RouteAuthorizer.Decision decision = RouteAuthorizer.decide(event, authenticator);
                yield Invocation.answered(decision.toJson(), decision.metrics());
            }
            case API_GATEWAY -> {
                HttpAnswer answer = httpCore.handle(ApiGatewayEvents.toRequest(event, now, lambdaEnd));
                // The core's answer, written once, goes into the response as its escaped body: not decoded, not written again.
                yield new Invocation(out -> ApiGatewayEvents.writeResponse(answer, out), null, answer.metrics());
            }
            default -> {
                SqsBatchHandler.Answer answer = sqs.handle(event, lambdaEnd);
                yield Invocation.answered(answer.response(), answer.metrics());
            }
        };
    }

    /** Segment's AWS Lambda destination, {@code aws lambda invoke}: the payload is the event(s) itself. */
    private Invocation direct(byte[] payload, Instant now, Instant lambdaEnd) {
        ParsedRequest parsed;
        try {
            parsed = intake.parse(payload);
        } catch (RequestError e) {
            // Permanent: an error result, not an exception, so that nobody retries it; logged and
            // counted (Refused_<code>), since Segment counts the invocation as a success.
            LOG.warnf("invocation refused (%s): %s", e.code(), e.getMessage());
            return Invocation.answered(Json.MAPPER.createObjectNode().set("error",
                    Json.object().put("code", e.code()).put("message", e.getMessage()).put("status", e.status())),
                    RequestMetrics.ofRefusal(e.reason()));
        }
        Report report = intake.process(parsed, now, lambdaEnd);
        if (report.anyFailed()) {
            return new Invocation(null, new FailedEventsException(report.failed(), report.failedSummary()), report.metrics());
        }
        return Invocation.answered(report.toBytes(), report.metrics());
    }

    private static JsonNode treeOrNull(byte[] payload) {
        try {
            return Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            return null;
        }
    }

    /** When this invocation times out, or null outside Lambda. */
    private static Instant lambdaEnd(Context context, Instant now) {
        if (context == null) {
            return null;
        }
        int millis = context.getRemainingTimeInMillis();
        return millis > 0 ? now.plusMillis(millis) : null;
    }
}
