package io.segmentramen.http;

import io.segmentramen.auth.AuthSettings;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.auth.SignedSpan;
import io.segmentramen.delivery.EventIntake;
import io.segmentramen.segment.BodyScanner;
import io.segmentramen.segment.EventParser;
import io.segmentramen.segment.ParsedRequest;
import io.segmentramen.segment.RequestError;
import io.segmentramen.segment.ScannedBody;
import io.segmentramen.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The body is scanned once per request, for the X-Signature's span and for the parser: what each of them
 * concludes must stay what a scan of its own concluded (docs/CONTRACT.md §6 for the span, §1 for the outline),
 * including for a body over the element limit, whose signed first element the limited scan never reaches the end of.
 */
class OneScanTest {

    private static final String SECRET = "shared-secret";
    private static final String FIRST = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u1\",\"messageId\":\"m1\"}";
    private static final String OTHER = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u2\",\"messageId\":\"m2\"}";

    /** MAX_BATCH_EVENTS 2; nothing is ever delivered (every request here is refused before the pipeline). */
    private static HttpCore core(boolean trustFirstElement) {
        EventIntake intake = new EventIntake(new EventParser(2), null, Clock.systemUTC(), 1 << 20, Duration.ofSeconds(4));
        RequestAuthenticator authenticator = new RequestAuthenticator(AuthSettings.of(Optional.of(SECRET), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), trustFirstElement));
        return new HttpCore(intake, authenticator, false);
    }

    private static HttpAnswer post(HttpCore core, String body, String signedText) {
        String signature = RequestAuthenticator.hmacSha1Hex(SECRET.getBytes(StandardCharsets.UTF_8), signedText.getBytes(StandardCharsets.UTF_8));
        return core.handle(new InboundRequest("POST", Map.of("X-Signature", signature, "Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8), Instant.now(), null));
    }

    private static String code(HttpAnswer answer) {
        return Fixtures.parse(answer.bodyText()).path("error").path("code").asText();
    }

    @Test
    void anArrayOverTheLimitSignedOverItsFirstElementIsJudgedByItsWholeShape() {
        String tooMany = "[" + FIRST + "," + OTHER + "," + OTHER + "]";
        HttpAnswer strict = post(core(false), tooMany, FIRST);
        assertEquals(503, strict.status(), strict.bodyText());
        assertEquals("batch_needs_token", code(strict), "the first element's signature is recognised, and leaves the rest unsigned");

        HttpAnswer trusting = post(core(true), tooMany, FIRST);
        assertEquals(413, trusting.status(), trusting.bodyText());
        assertEquals("too_many_events", code(trusting));

        HttpAnswer brokenAfterTheLimit = post(core(true), "[" + FIRST + "," + OTHER + "," + OTHER + ",", FIRST);
        assertEquals(401, brokenAfterTheLimit.status(), "not a well-formed array: its signature is over the whole body, and this one is not");
        assertEquals("invalid_credentials", code(brokenAfterTheLimit));
    }

    @Test
    void theSharedScanConcludesWhatSeparateScansConclude() {
        String[] parts = {"[", "]", "{", "}", ",", ":", "\"batch\"", "\"context\"", "\"k\"", "\"v\\\"\"", "1", "null", " ", "\n", FIRST, OTHER, "\u00ff"};
        Random random = new Random(20_261_206L);
        for (int run = 0; run < 20_000; run++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "[" : random.nextBoolean() ? "{\"batch\":[" : "");
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                text.append(random.nextInt(4) == 0 ? "," + FIRST : parts[random.nextInt(parts.length)]);
            }
            text.append(random.nextBoolean() ? "]" : random.nextBoolean() ? "]}" : "");
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            int max = 1 + random.nextInt(4);
            EventParser parser = new EventParser(max);
            String context = text + " (limit " + max + ")";

            ScannedBody scanned = parser.scan(body);
            SignedSpan shared = SignedSpan.firstElement(scanned);
            BodyScanner.Outline alone = BodyScanner.signatureOutline(body);
            if (alone == null || alone.shape() != ParsedRequest.Shape.ARRAY) {
                assertNull(shared, context);
            } else {
                assertEquals(new SignedSpan(alone.elements().get(0).start(), alone.elements().get(0).end(), alone.elementCount() > 1),
                        shared, context);
            }
            // asked after the signature's span, as HttpCore asks: the same outline, or the same refusal
            assertEquals(outcome(() -> BodyScanner.outline(body, max)), outcome(scanned::outline), context);
        }
    }

    private interface Scan {
        BodyScanner.Outline run() throws RequestError;
    }

    private static String outcome(Scan scan) {
        try {
            BodyScanner.Outline outline = scan.run();
            return outline.shape() + " " + outline.elements() + " " + outline.elementCount() + " " + outline.context() + " " + outline.integrations();
        } catch (RequestError e) {
            return e.code() + ": " + e.getMessage();
        }
    }
}
