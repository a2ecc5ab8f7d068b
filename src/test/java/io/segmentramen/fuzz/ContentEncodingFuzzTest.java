package io.segmentramen.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.segmentramen.http.ContentEncoding;
import io.segmentramen.segment.RequestError;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Content-Encoding decoder: what is compressed comes back byte for byte when it fits the limit
 * and is a 413 when it does not; arbitrary bytes under any header end as the body or a 400/413/415,
 * never another exception.
 */
class ContentEncodingFuzzTest {

    private static final List<String> HEADERS = List.of("gzip", "deflate", "x-gzip", "identity", "br", "gzip, deflate", "GZip", "");
    private static final Set<Integer> REFUSALS = Set.of(400, 413, 415);

    @FuzzTest(maxDuration = "30s")
    void decode(FuzzedDataProvider data) {
        int limit = data.consumeInt(0, 2048);
        int format = data.consumeInt(0, 2);
        String header = data.consumeBoolean() ? HEADERS.get(data.consumeInt(0, HEADERS.size() - 1)) : data.consumeString(20);
        byte[] bytes = data.consumeRemainingAsBytes();
        check(bytes, limit, format);
        arbitrary(header, bytes, limit);
    }

    @Test
    void decodeSeededInputs() {
        Random random = new Random(Long.getLong("properties.seed", 20_261_206L));
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(4096)];
            if (random.nextBoolean()) {
                random.nextBytes(bytes);
            } // else zeros: highly compressible
            int limit = random.nextInt(4096);
            check(bytes, limit, random.nextInt(3));
            arbitrary(HEADERS.get(random.nextInt(HEADERS.size())), bytes, limit);
        }
    }

    /** Compressed as gzip, zlib or raw deflate: the same bytes back within the limit, a 413 beyond it. */
    private static void check(byte[] bytes, int limit, int format) {
        String header = format == 0 ? "gzip" : "deflate";
        byte[] compressed = compress(bytes, format);
        try {
            byte[] decoded = ContentEncoding.decode(header, compressed, limit);
            assertTrue(bytes.length <= limit, () -> bytes.length + " bytes inflated past a limit of " + limit);
            assertArrayEquals(bytes, decoded);
        } catch (RequestError e) {
            assertEquals(413, e.status(), e::getMessage);
            assertTrue(bytes.length > limit, () -> bytes.length + " bytes refused under a limit of " + limit);
            assertTrue(e.getMessage().contains("stopped after " + (limit + 1)), e::getMessage);
        }
    }

    private static void arbitrary(String header, byte[] bytes, int limit) {
        try {
            byte[] decoded = ContentEncoding.decode(header, bytes, limit);
            assertTrue(decoded.length <= Math.max(limit, bytes.length), "bounded by the limit (or the body as received)");
        } catch (RequestError e) {
            assertTrue(REFUSALS.contains(e.status()), e.status() + " " + e.code());
        }
    }

    private static byte[] compress(byte[] bytes, int format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressing = format == 0 ? new GZIPOutputStream(out)
                : new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, format == 2))) {
            compressing.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
