package io.segmentramen.ramen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The version from the build ({@code pom.xml}), for the User-Agent and the start-up summary: a
 * resource filtered by Maven (src/main/resources-filtered), so that the native executable has it
 * too (application.properties includes it in the image).
 */
public final class BuildVersion {

    public static final String VERSION = read();

    private BuildVersion() {
    }

    private static String read() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.txt")) {
            String version = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return version.isEmpty() || version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
