package io.segmentramen.http;

import io.segmentramen.segment.RequestError;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one decoder of Content-Encoding: what it inflates, how far, and what it refuses naming. */
class ContentEncodingTest {

    private static final byte[] JSON = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\"}".getBytes(StandardCharsets.UTF_8);

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] bytes, boolean raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            deflate.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void inflatesGzipAndBothFormsOfDeflate() throws Exception {
        assertArrayEquals(JSON, ContentEncoding.decode("gzip", gzip(JSON), 1000));
        assertArrayEquals(JSON, ContentEncoding.decode("X-GZIP", gzip(JSON), 1000));
        assertArrayEquals(JSON, ContentEncoding.decode(" Deflate ", deflate(JSON, false), 1000), "zlib, as RFC 9110 says");
        assertArrayEquals(JSON, ContentEncoding.decode("deflate", deflate(JSON, true), 1000), "raw deflate, as some clients send");
        assertArrayEquals(JSON, ContentEncoding.decode("identity, gzip", gzip(JSON), 1000), "identity is no encoding");
    }

    @Test
    void noEncodingIsTheBodyAsReceived() throws Exception {
        assertSame(JSON, ContentEncoding.decode(null, JSON, 10));
        assertSame(JSON, ContentEncoding.decode("identity", JSON, 10));
        assertSame(JSON, ContentEncoding.decode(" ", JSON, 10));
    }

    @Test
    void inflatesToTheLimitExactlyAndNoFurther() throws Exception {
        byte[] limit = new byte[4096];
        assertEquals(4096, ContentEncoding.decode("gzip", gzip(limit), 4096).length);
        RequestError over = assertThrows(RequestError.class, () -> ContentEncoding.decode("gzip", gzip(new byte[4097]), 4096));
        assertEquals(413, over.status());
        assertEquals("body_too_large", over.code());
        RequestError bomb = assertThrows(RequestError.class, () -> ContentEncoding.decode("deflate", deflate(new byte[50_000_000], false), 4096));
        assertTrue(bomb.getMessage().contains("inflating stopped after 4097"), bomb.getMessage());
    }

    @Test
    void refusesWhatItCannotInflateNamingIt() {
        RequestError br = assertThrows(RequestError.class, () -> ContentEncoding.decode("br", JSON, 1000));
        assertEquals(415, br.status());
        assertEquals("unsupported_content_encoding", br.code());
        assertTrue(br.getMessage().startsWith("Content-Encoding br is not supported"), br.getMessage());
        RequestError stacked = assertThrows(RequestError.class, () -> ContentEncoding.decode("deflate, gzip", JSON, 1000));
        assertTrue(stacked.getMessage().startsWith("Content-Encoding deflate, gzip applies several encodings"), stacked.getMessage());
        RequestError corrupt = assertThrows(RequestError.class, () -> ContentEncoding.decode("gzip", JSON, 1000));
        assertEquals(400, corrupt.status());
        assertEquals("invalid_compressed_body", corrupt.code());
        RequestError hostile = assertThrows(RequestError.class, () -> ContentEncoding.decode("x\"\u0001" + "y".repeat(500), JSON, 1000));
        assertTrue(hostile.getMessage().length() < 200 && !hostile.getMessage().contains("\u0001"), hostile.getMessage());
    }
}
