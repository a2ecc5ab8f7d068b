package io.segmentramen.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.auth.AuthResult;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.delivery.EventIntake;
import io.segmentramen.delivery.Report;
import io.segmentramen.json.Json;
import io.segmentramen.ramen.RetryAfter;
import io.segmentramen.segment.BodyScanner;
import io.segmentramen.segment.ParsedRequest;
import io.segmentramen.segment.RequestError;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /events} without any framework: (method, headers, raw body, request time) →
 * (status, headers, body). The RESTEasy resource and the API Gateway adapter only translate to and
 * from it, so the endpoint means the same thing everywhere.
 */
public final class HttpCore {

    private static final Logger LOG = Logger.getLogger(HttpCore.class);

    private final EventIntake intake;
    private final RequestAuthenticator authenticator;

    public HttpCore(EventIntake intake, RequestAuthenticator authenticator) {
        this.intake = intake;
        this.authenticator = authenticator;
    }

    public HttpAnswer handle(InboundRequest request) {
        if (!"POST".equalsIgnoreCase(request.method())) {
            return error(405, "method_not_allowed", "use POST to send events", Map.of("Allow", "POST"));
        }
        // Authenticated before anything else: an unauthenticated caller learns nothing about the body.
        AuthResult auth = authenticator.verify(request.header("Authorization"), request.header("X-Signature"), request.body());
        if (auth instanceof AuthResult.Refused refused) {
            return unauthenticated(refused.refusal());
        }
        ParsedRequest parsed;
        try {
            BodyScanner.checkDeclaredCharset(request.header("Content-Type"));
            parsed = intake.parse(request.body());
        } catch (RequestError e) {
            return error(e.status(), e.code(), e.getMessage(), Map.of());
        }
        Report report = intake.process(parsed, request.receivedAt(), request.lambdaRemaining());
        return answer(report, parsed.isSingle());
    }

    static HttpAnswer answer(Report report, boolean single) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        int status = 200;
        if (report.anyFailed()) {
            if (report.throttled()) {
                status = 429;
                long seconds = report.throttledRetryAfter().map(RetryAfter::passedOnSeconds).orElse(1L);
                headers.put("Retry-After", Long.toString(seconds));
            } else {
                status = 503;
            }
        } else if (single && report.rejected() == 1) {
            status = 400;
        }
        return new HttpAnswer(status, headers, Json.bytes(report.toJson()));
    }

    private HttpAnswer unauthenticated(AuthResult.Refusal refusal) {
        return switch (refusal) {
            case NOT_CONFIGURED -> error(401, refusal.code(), refusal.message(), Map.of());
            case BATCH_NEEDS_TOKEN -> {
                // Counted failed, not refused: every event of the batch waits at Segment for the operator.
                LOG.errorf("batch refused with 503 %s: %s", refusal.code(), refusal.message());
                yield error(503, refusal.code(), refusal.message(), Map.of());
            }
            default -> error(401, refusal.code(), refusal.message(), Map.of("WWW-Authenticate", "Bearer"));
        };
    }

    public static HttpAnswer error(int status, String code, String message, Map<String, String> extraHeaders) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        return new HttpAnswer(status, headers, Json.bytes(body));
    }
}
