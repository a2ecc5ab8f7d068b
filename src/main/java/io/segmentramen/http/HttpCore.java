package io.segmentramen.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.auth.AuthResult;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.delivery.DryRunReport;
import io.segmentramen.delivery.EventIntake;
import io.segmentramen.delivery.Report;
import io.segmentramen.json.Json;
import io.segmentramen.observability.RequestMetrics;
import io.segmentramen.outcome.Reason;
import io.segmentramen.ramen.RetryAfter;
import io.segmentramen.segment.BodyScanner;
import io.segmentramen.segment.ParsedRequest;
import io.segmentramen.segment.RequestError;
import io.segmentramen.segment.ScannedBody;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /events} without any framework: (method, headers, raw body, request time) →
 * (status, headers, body). The RESTEasy resource and the API Gateway adapter only translate to and
 * from it, so the endpoint means the same thing everywhere.
 */
public final class HttpCore {

    /** docs/CONTRACT.md §8: with RAMEN_DRY_RUN=enabled, {@code X-Ramen-Dry-Run: true} asks for a dry run. */
    public static final String DRY_RUN_HEADER = "X-Ramen-Dry-Run";
    /** The route: API Gateway's (infra/template.yaml) and the local server's. */
    public static final String PATH = "/events";
    private static final Logger LOG = Logger.getLogger(HttpCore.class);

    private final EventIntake intake;
    private final RequestAuthenticator authenticator;
    private final boolean dryRunEnabled;

    public HttpCore(EventIntake intake, RequestAuthenticator authenticator, boolean dryRunEnabled) {
        this.intake = intake;
        this.authenticator = authenticator;
        this.dryRunEnabled = dryRunEnabled;
    }

    public HttpAnswer handle(InboundRequest request) {
        if (!"POST".equalsIgnoreCase(request.method())) {
            return refused(Reason.METHOD_NOT_ALLOWED, "use POST to send events", Map.of("Allow", "POST"));
        }
        // Authenticated before anything else: an unauthenticated caller learns nothing about the body.
        // The X-Signature is over the body as received, compressed or not (docs/CONTRACT.md §1).
        // One scan of the body serves the X-Signature's span and the parser (an uncompressed body is the one parsed).
        ScannedBody received = intake.scan(request.body());
        AuthResult auth = authenticator.verify(request.header("Authorization"), request.header("X-Signature"), received);
        if (auth instanceof AuthResult.Refused refused) {
            return unauthenticated(refused.refusal());
        }
        ParsedRequest parsed;
        try {
            BodyScanner.checkDeclaredCharset(request.header("Content-Type"));
            byte[] body = ContentEncoding.decode(request.header("Content-Encoding"), request.body(), intake.maxBodyBytes());
            parsed = intake.parse(body == request.body() ? received : intake.scan(body));
        } catch (RequestError e) {
            return refused(e.reason(), e.getMessage(), Map.of());
        }
        if (dryRunRequested(request)) {
            DryRunReport preview = intake.dryRun(parsed);
            return answer(preview.report(), parsed.isSingle(), preview.toBytes(), RequestMetrics.ofDryRun());
        }
        Report report = intake.process(parsed, request.receivedAt(), request.lambdaEnd());
        return answer(report, parsed.isSingle(), report.toBytes(), report.metrics().authentication(auth));
    }

    /** A dry run only when enabled; otherwise the header is ignored, loudly, and the request is real. */
    private boolean dryRunRequested(InboundRequest request) {
        String header = request.header(DRY_RUN_HEADER);
        if (header == null) {
            return false;
        }
        if (!dryRunEnabled) {
            LOG.warn("header " + DRY_RUN_HEADER + " ignored: dry runs are disabled (RAMEN_DRY_RUN=enabled allows them);"
                    + " this request is delivered for real");
            return false;
        }
        return header.trim().equalsIgnoreCase("true");
    }

    /** @param body the report as written once ({@link Report#toBytes}) */
    static HttpAnswer answer(Report report, boolean single, byte[] body, RequestMetrics metrics) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        Reason.Answer effect = report.answer();
        int status = effect == Reason.Answer.BAD_REQUEST_WHEN_SINGLE && !single ? 200 : effect.httpStatus();
        if (report.anyFailed()) {
            Optional<Long> retryAfter = report.retryAfter().map(RetryAfter::passedOnSeconds);
            if (retryAfter.isPresent() || effect == Reason.Answer.THROTTLED) {
                headers.put("Retry-After", Long.toString(retryAfter.orElse(1L)));
            }
        }
        return new HttpAnswer(status, headers, body, metrics);
    }

    private HttpAnswer unauthenticated(AuthResult.Refusal refusal) {
        Reason reason = refusal.reason();
        return switch (refusal) {
            case NOT_CONFIGURED -> refused(reason, refusal.message(), Map.of());
            case BATCH_NEEDS_TOKEN -> {
                // Counted failed, not refused: every event of the batch waits at Segment for the operator.
                // The body is not read before authentication, so the refused batch counts once
                // (Failed, Failed_batch_needs_token and ConfigurationErrors).
                LOG.errorf("batch refused with %d %s: %s", reason.httpStatus(), reason.code(), refusal.message());
                yield error(reason, refusal.message(), Map.of(), RequestMetrics.empty().outcome(reason.status(), reason, 0, 0));
            }
            default -> refused(reason, refusal.message(), Map.of("WWW-Authenticate", "Bearer"));
        };
    }

    /** A request refused whole: no event has an outcome line, so it is logged and counted here (docs/CONTRACT.md §8). */
    private static HttpAnswer refused(Reason reason, String message, Map<String, String> extraHeaders) {
        LOG.warnf("request refused with %d %s: %s", reason.httpStatus(), reason.code(), message);
        return error(reason, message, extraHeaders, RequestMetrics.ofRefusal(reason));
    }

    private static HttpAnswer error(Reason reason, String message, Map<String, String> extraHeaders, RequestMetrics metrics) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", reason.code());
        error.put("message", message);
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        return new HttpAnswer(reason.httpStatus(), headers, Json.bytes(body), metrics);
    }
}
