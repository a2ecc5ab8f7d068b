package io.segmentramen.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.testing.Endpoints;
import io.segmentramen.testing.EntryPoint;
import io.segmentramen.testing.EntryPoint.Answer;
import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.Fixtures;
import io.segmentramen.testing.LambdaEvents;
import io.segmentramen.testing.ResetFakeRamen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compressed request bodies (docs/CONTRACT.md §1) through every HTTP way in: the RESTEasy resource,
 * API Gateway HTTP API (payload 2.0) and REST API (payload 1.0) events with base64 bodies. gzip and
 * deflate are inflated within MAX_BODY_BYTES; other encodings are refused naming them; X-Signature
 * covers the bytes as received.
 */
@QuarkusTest
@ExtendWith(ResetFakeRamen.class)
@TestProfile(AuthProfile.class)
class CompressedBodyTest {

    /** The application's default MAX_BODY_BYTES, which this profile keeps. */
    private static final int MAX_BODY_BYTES = 6_291_456;

    @FakeRamen.InjectFakeRamen
    WireMockServer ramen;

    private static String batch(String... messageIds) {
        StringBuilder json = new StringBuilder("{\"batch\":[");
        for (String messageId : messageIds) {
            json.append(json.charAt(json.length() - 1) == '[' ? "" : ",").append("{\"type\":\"track\",\"event\":\"Zipped\",\"userId\":\"u-")
                    .append(messageId).append("\",\"messageId\":\"").append(messageId).append("\"}");
        }
        return json.append("]}").toString();
    }

    static byte[] gzip(byte[] bytes) {
        return compress(bytes, true);
    }

    static byte[] deflate(byte[] bytes) {
        return compress(bytes, false);
    }

    private static byte[] compress(byte[] bytes, boolean gzip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressing = gzip ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
            compressing.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Map<String, String> headers(String encoding, String... credentials) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Content-Encoding", encoding);
        for (int i = 0; i < credentials.length; i += 2) {
            headers.put(credentials[i], credentials[i + 1]);
        }
        return headers;
    }

    private static Map<String, String> bearer(String encoding) {
        return headers(encoding, "Authorization", "Bearer " + AuthProfile.AUTH_TOKEN);
    }

    private List<String> ramenMessageIds() {
        return ramen.getAllServeEvents().stream()
                .map(event -> Fixtures.parse(event.getRequest().getBodyAsString()).path("message_id").asText()).sorted().toList();
    }

    private void assertDelivered(Answer answer, String... messageIds) {
        assertEquals(200, answer.status(), answer::toString);
        assertEquals(messageIds.length, answer.json().path("delivered").asInt(), answer::toString);
        assertEquals(List.of(messageIds).stream().sorted().toList(), ramenMessageIds());
    }

    private static void assertRefused(Answer answer, int status, String code, String named) {
        assertEquals(status, answer.status(), answer::toString);
        JsonNode error = answer.json().path("error");
        assertEquals(code, error.path("code").asText(), answer::toString);
        assertTrue(error.path("message").asText().contains(named), answer::toString);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void gzipAndDeflateBodiesAreInflated(EntryPoint entry) {
        String zipped = "gz-" + UUID.randomUUID();
        String deflated = "df-" + UUID.randomUUID();
        String zippedToo = "gz2-" + UUID.randomUUID();

        assertDelivered(entry.post(bearer("gzip"), gzip(batch(zipped, zippedToo).getBytes(StandardCharsets.UTF_8))), zipped, zippedToo);
        ramen.resetRequests();
        assertDelivered(entry.post(bearer("deflate"), deflate(batch(deflated).getBytes(StandardCharsets.UTF_8))), deflated);
        ramen.resetRequests();
        String identity = "id-" + UUID.randomUUID();
        assertDelivered(entry.post(bearer("identity"), batch(identity).getBytes(StandardCharsets.UTF_8)), identity);
    }

    @Test
    void gzipBodyOfARestApiEventInBase64IsInflated() {
        String messageId = "v1-" + UUID.randomUUID();
        String event = LambdaEvents.apiGatewayV1Base64("POST", bearer("gzip"), gzip(batch(messageId).getBytes(StandardCharsets.UTF_8)));

        String output = Endpoints.lambda().contentType("application/json").body(event.getBytes(StandardCharsets.UTF_8)).post().then()
                .statusCode(200).extract().asString();

        JsonNode response = Fixtures.parse(output);
        assertEquals(200, response.path("statusCode").asInt(), output);
        assertEquals(1, Fixtures.parse(response.path("body").asText()).path("delivered").asInt(), output);
        assertEquals(List.of(messageId), ramenMessageIds());
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void xSignatureCoversTheBytesAsReceived(EntryPoint entry) {
        String messageId = "sig-" + UUID.randomUUID();
        byte[] json = batch(messageId).getBytes(StandardCharsets.UTF_8);
        byte[] wire = gzip(json);
        byte[] secret = AuthProfile.SHARED_SECRET.getBytes(StandardCharsets.UTF_8);

        Answer overInflated = entry.post(headers("gzip", "X-Signature", RequestAuthenticator.hmacSha1Hex(secret, json)), wire);
        assertRefused(overInflated, 401, "invalid_credentials", "");
        assertEquals(0, ramen.getAllServeEvents().size());

        Answer overWire = entry.post(headers("gzip", "X-Signature", RequestAuthenticator.hmacSha1Hex(secret, wire)), wire);
        assertDelivered(overWire, messageId);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void decompressionBombIsRefusedAfterInflatingTheLimitAndOneByte(EntryPoint entry) {
        byte[] bomb = gzip(new byte[MAX_BODY_BYTES * 4]); // 24 MiB of zeros in about 25 KB

        Answer answer = entry.post(bearer("gzip"), bomb);

        assertRefused(answer, 413, "body_too_large", "inflating stopped after " + (MAX_BODY_BYTES + 1));
        assertTrue(bomb.length < 100_000, "the body as sent is small: " + bomb.length);
        assertEquals(0, ramen.getAllServeEvents().size());
        // authentication comes first: without valid credentials nothing is inflated or said about the body
        assertRefused(entry.post(headers("gzip", "Authorization", "Bearer not-the-token"), bomb), 401, "invalid_credentials", "");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void otherEncodingsAreRefusedNamingThem(EntryPoint entry) {
        byte[] json = batch("enc-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        assertRefused(entry.post(bearer("br"), json), 415, "unsupported_content_encoding", "Content-Encoding br is not supported");
        assertRefused(entry.post(bearer("compress"), json), 415, "unsupported_content_encoding", "Content-Encoding compress is not supported");
        assertRefused(entry.post(bearer("gzip, gzip"), gzip(gzip(json))), 415, "unsupported_content_encoding", "gzip, gzip");
        assertRefused(entry.post(bearer("gzip"), json), 400, "invalid_compressed_body", "not valid gzip data");
        // gzip sent without its header: named as such, not taken for UTF-16
        assertRefused(entry.post(bearer("identity"), gzip(json)), 415, "unsupported_content_encoding", "no Content-Encoding: gzip");
        assertEquals(0, ramen.getAllServeEvents().size());
    }
}
