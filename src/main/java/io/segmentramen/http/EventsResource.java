package io.segmentramen.http;

import io.segmentramen.observability.MetricsEmitter;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /events} on localhost, in dev mode and in tests: a thin wrapper around {@link HttpCore}. Not in
 * the Lambda artefact (built with -Dlambda), where API Gateway reaches HttpCore through the Lambda handler.
 */
@Path(HttpCore.PATH)
public class EventsResource {

    @Inject
    HttpCore core;

    @Inject
    Clock clock;

    @Inject
    MetricsEmitter metrics;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response post(byte[] body, @Context HttpHeaders httpHeaders) {
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, List<String>> header : httpHeaders.getRequestHeaders().entrySet()) {
            headers.put(header.getKey(), String.join(",", header.getValue()));
        }
        boolean coldStart = metrics.firstRequest();
        HttpAnswer answer = core.handle(new InboundRequest("POST", headers, body, clock.instant(), null));
        metrics.emit(answer.metrics(), coldStart);
        Response.ResponseBuilder response = Response.status(answer.status()).entity(answer.body());
        answer.headers().forEach(response::header);
        return response.build();
    }
}
