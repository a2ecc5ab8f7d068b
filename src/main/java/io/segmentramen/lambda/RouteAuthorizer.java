package io.segmentramen.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.auth.AuthResult;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.json.Json;
import io.segmentramen.observability.RequestMetrics;
import org.jboss.logging.Logger;

import java.util.Iterator;
import java.util.Map;

/**
 * Buffered mode's gate (docs/CONTRACT.md §6): an HTTP API Lambda {@code REQUEST} authorizer, payload format
 * 2.0 with simple responses. API Gateway asks before a request reaches the queue; the answer is
 * {@code {"isAuthorized": true|false}} from the bearer token (current or previous) alone — the
 * body is not part of an authorizer event, so an X-Signature cannot be checked here.
 */
public final class RouteAuthorizer {

    private static final Logger LOG = Logger.getLogger(RouteAuthorizer.class);

    private RouteAuthorizer() {
    }

    public static Decision decide(JsonNode event, RequestAuthenticator authenticator) {
        AuthResult result = authenticator.verifyToken(authorization(event));
        if (result instanceof AuthResult.Refused refused) {
            LOG.warnf("authorizer refused a request to %s: %s", event.path("routeKey").asText("?"), refused.refusal().code());
            return new Decision(false, result);
        }
        return new Decision(true, result);
    }

    /** The authorizer's answer and how it was reached (a previous token counts in AuthPrevious). */
    public record Decision(boolean authorized, AuthResult auth) {

        public ObjectNode toJson() {
            return Json.object().put("isAuthorized", authorized);
        }

        /** A refused call counts nowhere (API Gateway answers 403; its own metrics count those). */
        public RequestMetrics metrics() {
            return RequestMetrics.empty().authentication(auth);
        }
    }

    /** The Authorization header (names arrive lower-cased; any case accepted), else the identity source. */
    private static String authorization(JsonNode event) {
        Iterator<Map.Entry<String, JsonNode>> headers = event.path("headers").fields();
        while (headers.hasNext()) {
            Map.Entry<String, JsonNode> header = headers.next();
            if (header.getKey().equalsIgnoreCase("Authorization") && header.getValue().isTextual()) {
                return header.getValue().asText();
            }
        }
        JsonNode identity = event.path("identitySource");
        return identity.isArray() && identity.size() == 1 && identity.get(0).isTextual() ? identity.get(0).asText() : null;
    }
}
