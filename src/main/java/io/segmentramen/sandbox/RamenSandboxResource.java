package io.segmentramen.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.profile.IfBuildProfile;
import io.segmentramen.config.DestinationConfig;
import io.segmentramen.config.Secrets;
import io.segmentramen.json.Json;
import io.segmentramen.signing.SecureModeHash;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * A local stand-in for Ramen, in dev and test builds only: it answers as Ramen is
 * documented to (404 unknown organization, 401 for a malformed email, a missing user id or a bad
 * Secure Mode hash) and records every request it received, listed at {@code GET /sandbox/received}.
 */
@IfBuildProfile(anyOf = {"dev", "test"})
@Path("/sandbox")
public class RamenSandboxResource {

    private static final int KEPT = 1000;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Deque<ObjectNode> RECEIVED = new ArrayDeque<>();

    @Inject
    DestinationConfig config;

    @Inject
    Secrets secrets;

    @Inject
    Clock clock;

    @POST
    @Path("/po.json")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(String body, @Context HttpHeaders headers) {
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return record("POST", headers, Json.object().put("unparseable", true), 400, "body is not JSON");
        }
        return judge("POST", headers, payload);
    }

    @GET
    @Path("/po.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response receiveQuery(@QueryParam("json_payload") String jsonPayload, @Context HttpHeaders headers) {
        try {
            return judge("GET", headers, Json.MAPPER.readTree(jsonPayload == null ? "" : jsonPayload));
        } catch (Exception e) {
            return record("GET", headers, Json.object().put("unparseable", true), 400, "json_payload is not JSON");
        }
    }

    @GET
    @Path("/received")
    @Produces(MediaType.APPLICATION_JSON)
    public ArrayNode received() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        synchronized (RECEIVED) {
            RECEIVED.forEach(list::add);
        }
        return list;
    }

    @DELETE
    @Path("/received")
    public Response clear() {
        synchronized (RECEIVED) {
            RECEIVED.clear();
        }
        return Response.noContent().build();
    }

    private Response judge(String method, HttpHeaders headers, JsonNode payload) {
        String organization = payload.path("organization_id").asText("");
        if (!organization.equals(config.organizationId().orElse(""))) {
            return record(method, headers, payload, 404, "unknown organization");
        }
        JsonNode user = payload.path("user");
        if (user.isObject()) {
            if (user.path("id").asText("").isEmpty()) {
                return record(method, headers, payload, 401, "user.id is missing");
            }
            String email = user.path("email").asText("");
            if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
                return record(method, headers, payload, 401, "user.email is not a valid email address");
            }
            String secret = secrets.get(Secrets.Name.RAMEN_SECRET_KEY).orElse("");
            if (!secret.isEmpty()) {
                String problem = secureModeProblem(payload, user, secret);
                if (problem != null) {
                    return record(method, headers, payload, 401, problem);
                }
            }
        }
        return record(method, headers, payload, 200, null);
    }

    private String secureModeProblem(JsonNode payload, JsonNode user, String secret) {
        if (!payload.hasNonNull("auth_hash") || !payload.hasNonNull("timestamp")) {
            return "auth_hash is missing";
        }
        long timestamp = payload.path("timestamp").asLong();
        if (Math.abs(clock.instant().getEpochSecond() - timestamp) > config.signatureMaxAge().toSeconds()) {
            return "auth_hash timestamp is stale";
        }
        String expected = SecureModeHash.of(user.path("email").asText(null), user.path("id").asText(null),
                user.path("name").asText(null), timestamp, secret);
        boolean matches = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                payload.path("auth_hash").asText().getBytes(StandardCharsets.US_ASCII));
        return matches ? null : "auth_hash does not match";
    }

    private Response record(String method, HttpHeaders headers, JsonNode payload, int status, String error) {
        ObjectNode entry = Json.object();
        entry.put("receivedAt", clock.instant().toString());
        entry.put("method", method);
        ObjectNode headerCopy = entry.putObject("headers");
        headers.getRequestHeaders().forEach((name, values) -> {
            boolean secret = name.equalsIgnoreCase(config.apiKeyHeader()) || name.equalsIgnoreCase("Authorization");
            headerCopy.put(name.toLowerCase(), secret ? "<redacted>" : String.join(",", values));
        });
        entry.set("body", payload);
        entry.put("status", status);
        synchronized (RECEIVED) {
            RECEIVED.addLast(entry);
            while (RECEIVED.size() > KEPT) {
                RECEIVED.removeFirst();
            }
        }
        ObjectNode answer = Json.object();
        if (error == null) {
            answer.put("ok", true);
        } else {
            answer.put("error", error);
        }
        return Response.status(status).entity(Json.string(answer)).type(MediaType.APPLICATION_JSON).build();
    }
}
