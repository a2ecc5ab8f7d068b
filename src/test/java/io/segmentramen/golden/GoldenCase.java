package io.segmentramen.golden;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.testing.Fixtures;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One golden case under {@code src/test/resources/golden/<name>/}: the event as posted, the report
 * entry {@code results[0]} it must earn, the HTTP status and report counts ({@code expect.json}),
 * and the exact body Ramen must receive ({@code ramen.json}, absent when nothing may be sent).
 */
public record GoldenCase(String name, byte[] event, JsonNode result, JsonNode expect, JsonNode ramen) {

    public static List<String> names() {
        return Fixtures.text("golden/cases.txt").lines()
                .map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    public static GoldenCase load(String name) {
        String dir = "golden/" + name + "/";
        byte[] ramen = bytesOrNull(dir + "ramen.json");
        return new GoldenCase(name, bytesOrNull(dir + "event.json"), Fixtures.json(dir + "result.json"),
                Fixtures.json(dir + "expect.json"), ramen == null ? null : Fixtures.json(dir + "ramen.json"));
    }

    public int httpStatus() {
        return expect.path("httpStatus").asInt();
    }

    private static byte[] bytesOrNull(String path) {
        try (InputStream in = GoldenCase.class.getResourceAsStream("/" + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
