package io.segmentramen.http;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request as every entry point sees it. Header names are case-insensitive; repeated
 * headers arrive joined with commas, as API Gateway payload 2.0 delivers them.
 *
 * @param receivedAt      when the request began, for the delivery deadline
 * @param lambdaEnd       when the Lambda invocation times out, null outside Lambda
 */
public record InboundRequest(String method, Map<String, String> headers, byte[] body, Instant receivedAt,
                             Instant lambdaEnd) {

    public InboundRequest {
        TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            caseInsensitive.putAll(headers);
        }
        headers = caseInsensitive;
        body = body == null ? new byte[0] : body;
    }

    public String header(String name) {
        return headers.get(name);
    }
}
