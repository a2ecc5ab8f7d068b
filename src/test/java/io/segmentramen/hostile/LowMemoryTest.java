package io.segmentramen.hostile;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 6 MB hostile body is processed by the JVM build under {@code -Xmx64m}. Each body runs
 * in a JVM of its own ({@link LowMemoryMain}, the test classpath, a fake Ramen in process).
 */
class LowMemoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"envelope", "amplification", "payloads", "deep"})
    void sixMegabyteHostileBodyIsProcessedUnderXmx64m(String body) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), LowMemoryMain.class.getName(), body))
                .redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "finished");
        System.out.println("LowMemoryTest " + body + ": " + output.strip());
        assertEquals(0, process.exitValue(), output);
        Matcher figures = Pattern.compile("bodyBytes=(\\d+) status=(\\d+) delivered=(\\d+) rejected=(\\d+) results=(\\d+) reportBytes=(\\d+)")
                .matcher(output);
        assertTrue(figures.find(), output);
        long bodyBytes = Long.parseLong(figures.group(1));
        int results = Integer.parseInt(figures.group(5));
        assertTrue(bodyBytes > 5_500_000 && bodyBytes <= 6_291_456, "a ~6 MB body: " + bodyBytes);
        assertEquals(200, Integer.parseInt(figures.group(2)), output);
        assertEquals(results, Integer.parseInt(figures.group(3)) + Integer.parseInt(figures.group(4)), output);
        assertTrue(Long.parseLong(figures.group(6)) <= 65_536L * results, "report within 64 KiB per event: " + output);
    }
}
