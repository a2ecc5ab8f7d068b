package io.segmentramen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Reads test resources; builds the smallest events. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A track event of a visitor of its own (a fresh userId), so that it shares no visitor chain with another test's events. */
    public static String track(String event, String messageId) {
        return "{\"type\":\"track\",\"event\":\"" + event + "\",\"userId\":\"u-" + UUID.randomUUID() + "\",\"messageId\":\"" + messageId + "\"}";
    }

    public static String text(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String path) {
        try {
            return Json.MAPPER.readTree(text(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
