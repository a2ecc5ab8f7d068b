package io.segmentramen.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Status, headers and body of the answer, before any framework turns it into its own type. */
public record HttpAnswer(int status, Map<String, String> headers, byte[] body) {

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
