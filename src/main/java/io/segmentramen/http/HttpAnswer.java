package io.segmentramen.http;

import io.segmentramen.observability.RequestMetrics;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Status, headers and body of the answer, before any framework turns it into its own type, and the
 * request's metrics as what it produced states them (its report, or its refusal).
 */
public record HttpAnswer(int status, Map<String, String> headers, byte[] body, RequestMetrics metrics) {

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
