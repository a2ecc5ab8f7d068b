package io.segmentramen.http;

import io.segmentramen.outcome.Reason;
import io.segmentramen.segment.RequestError;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A request body's {@code Content-Encoding} undone (docs/CONTRACT.md §1, "Compressed bodies"):
 * {@code gzip} (also {@code x-gzip}) and {@code deflate} (zlib, or raw deflate as some clients send
 * it) are inflated, never beyond the body limit; {@code identity} is none; any other encoding, or
 * more than one, is refused naming it. The one decoder of every HTTP entry point: the RESTEasy
 * resource and API Gateway's proxy events both reach it through {@link HttpCore}.
 */
public final class ContentEncoding {

    private static final String SUPPORTED = "send the body uncompressed, or with Content-Encoding gzip or deflate";

    private ContentEncoding() {
    }

    /**
     * @param header   the request's Content-Encoding header, or null
     * @param body     the body as received
     * @param maxBytes the body limit: inflating stops after {@code maxBytes + 1} bytes
     * @return the body to parse
     * @throws RequestError 415 {@code unsupported_content_encoding}, 413 {@code body_too_large},
     *                      400 {@code invalid_compressed_body}
     */
    public static byte[] decode(String header, byte[] body, int maxBytes) throws RequestError {
        List<String> codings = codings(header);
        if (codings.isEmpty() || body.length == 0) {
            return body;
        }
        if (codings.size() > 1) {
            throw new RequestError(Reason.UNSUPPORTED_CONTENT_ENCODING, "Content-Encoding " + named(String.join(", ", codings))
                    + " applies several encodings; one is supported: " + SUPPORTED);
        }
        String coding = named(codings.get(0));
        boolean gzip = coding.equals("gzip") || coding.equals("x-gzip");
        if (!gzip && !coding.equals("deflate")) {
            throw new RequestError(Reason.UNSUPPORTED_CONTENT_ENCODING, "Content-Encoding " + coding + " is not supported; " + SUPPORTED);
        }
        // deflate: zlib-wrapped as RFC 9110 says, or raw as some clients send it
        Inflater inflater = gzip ? null : new Inflater(!isZlib(body));
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(body))
                : new InflaterInputStream(new ByteArrayInputStream(body), inflater)) {
            return inflate(in, coding, maxBytes);
        } catch (IOException e) {
            throw new RequestError(Reason.INVALID_COMPRESSED_BODY, "the body is not valid " + coding + " data (Content-Encoding "
                    + coding + "): " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    /** The encodings named, in the order applied, without {@code identity}. */
    private static List<String> codings(String header) {
        List<String> codings = new ArrayList<>(1);
        if (header != null) {
            for (String part : header.split(",")) {
                String coding = part.trim().toLowerCase(Locale.ROOT);
                if (!coding.isEmpty() && !coding.equals("identity")) {
                    codings.add(coding);
                }
            }
        }
        return codings;
    }

    /** A header value as a message may quote it: bounded, and only the characters an encoding name has. */
    private static String named(String coding) {
        String cut = coding.length() > 60 ? coding.substring(0, 60) + "…" : coding;
        return cut.replaceAll("[^A-Za-z0-9._+\\-, …]", "?");
    }

    /** RFC 1950's two-byte header: compression method 8 and a check that makes it a multiple of 31. */
    private static boolean isZlib(byte[] body) {
        return body.length >= 2 && (body[0] & 0x0F) == 8 && (((body[0] & 0xFF) << 8) | (body[1] & 0xFF)) % 31 == 0;
    }

    /** Reads at most {@code maxBytes + 1} bytes: an inflater stream inflates straight into the buffer it is given. */
    private static byte[] inflate(InputStream in, String coding, int maxBytes) throws IOException, RequestError {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 64 * 1024));
        byte[] buffer = new byte[16 * 1024];
        long allowed = (long) maxBytes + 1; // one byte beyond the limit tells that it is exceeded
        long total = 0;
        int read;
        while (total < allowed && (read = in.read(buffer, 0, (int) Math.min(buffer.length, allowed - total))) != -1) {
            out.write(buffer, 0, read);
            total += read;
        }
        if (total > maxBytes) {
            throw new RequestError(Reason.BODY_TOO_LARGE, "the body inflates (Content-Encoding " + coding + ") to more than MAX_BODY_BYTES ("
                    + maxBytes + " bytes; inflating stopped after " + total + "); send smaller batches");
        }
        return out.toByteArray();
    }
}
