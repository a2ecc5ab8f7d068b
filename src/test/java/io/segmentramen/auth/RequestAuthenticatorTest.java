package io.segmentramen.auth;

import io.segmentramen.auth.AuthResult.Refusal;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request authentication (docs/CONTRACT.md §6) as a pure function: signatures, batches, tokens, rotation. */
class RequestAuthenticatorTest {

    private static final String SECRET = "current-secret";
    private static final String OLD_SECRET = "previous-secret";
    private static final String TOKEN = "current-token";
    private static final String OLD_TOKEN = "previous-token";
    private static final String FIRST = "{ \"type\" : \"track\",\n\t\"event\":\"Ünïcode €\" , \"userId\":\"victim-42\"  }";
    private static final String FORGED = "{\"type\":\"identify\",\"userId\":\"victim-43\",\"traits\":{\"email\":\"a@b.c\"}}";

    private static RequestAuthenticator authenticator(boolean trustFirstElement) {
        return new RequestAuthenticator(new AuthSettings(Optional.of(SECRET), Optional.of(OLD_SECRET), Optional.of(TOKEN),
                Optional.of(OLD_TOKEN), false, trustFirstElement));
    }

    private static final RequestAuthenticator AUTH = authenticator(false);

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sign(String secret, String text) {
        return RequestAuthenticator.hmacSha1Hex(utf8(secret), utf8(text));
    }

    private static AuthResult signed(RequestAuthenticator auth, String secret, String signedText, String body) {
        return auth.verify(null, sign(secret, signedText), utf8(body));
    }

    private static AuthResult refused(Refusal refusal) {
        return new AuthResult.Refused(refusal);
    }

    @Test
    void signedSpanIsTheRawFirstElementOfAnArray() {
        String body = "  [ \n  " + FIRST + " ,\r\n {\"type\":\"page\"} ]";
        SignedSpan span = SignedSpan.firstElement(utf8(body));
        assertArrayEquals(utf8(FIRST), Arrays.copyOfRange(utf8(body), span.start(), span.end()),
                "Segment signs the raw bytes of the first element, inner whitespace and all: never re-serialised");
        assertTrue(span.moreElements());
        assertFalse(SignedSpan.firstElement(utf8("[" + FIRST + "]")).moreElements());
        assertNull(SignedSpan.firstElement(utf8("{\"type\":\"page\"}")), "an object is signed over the whole body");
        assertNull(SignedSpan.firstElement(utf8("[{\"type\":")), "malformed: the whole body");
        assertNull(SignedSpan.firstElement(utf8("[]")));
        assertNull(SignedSpan.firstElement(utf8("not json")));
        assertNull(SignedSpan.firstElement(utf8("[" + FIRST + ", {")), "an array broken after its first element: the whole body");
    }

    @Test
    void arraySignedOverTheWholeBodyIsAccepted() {
        String body = "[" + FIRST + "," + FORGED + "]";
        assertEquals(AuthResult.CURRENT, signed(AUTH, SECRET, body, body));
    }

    @Test
    void arrayOfSeveralSignedOverItsFirstElementOnlyNeedsAToken() {
        String body = "[" + FIRST + " , " + FORGED + "]";
        assertEquals(refused(Refusal.BATCH_NEEDS_TOKEN), signed(AUTH, SECRET, FIRST, body),
                "a captured signature must not carry forged events appended after it");
        assertEquals(refused(Refusal.BATCH_NEEDS_TOKEN), signed(AUTH, OLD_SECRET, FIRST, body));
    }

    @Test
    void arrayOfOneSignedOverItsElementIsAccepted() {
        assertEquals(AuthResult.CURRENT, signed(AUTH, SECRET, FIRST, "[" + FIRST + "]"));
    }

    @Test
    void firstElementSignatureIsTrustedOnlyByExplicitOptIn() {
        String body = "[" + FIRST + "," + FORGED + "]";
        assertEquals(AuthResult.CURRENT, signed(authenticator(true), SECRET, FIRST, body));
    }

    @Test
    void bearerTokenAuthenticatesAnyBody() {
        String body = "[" + FIRST + "," + FORGED + "]";
        assertEquals(AuthResult.CURRENT, AUTH.verify("Bearer " + TOKEN, sign(SECRET, FIRST), utf8(body)));
        assertEquals(AuthResult.CURRENT, AUTH.verify("bearer " + TOKEN, null, utf8("not even json")));
    }

    @Test
    void configuredAndPresentedValuesAreTrimmedOnBothSides() {
        RequestAuthenticator padded = new RequestAuthenticator(new AuthSettings(Optional.of(" " + SECRET + "\n"), Optional.empty(),
                Optional.of("  " + TOKEN + " \n"), Optional.empty(), false, false));
        assertEquals(AuthResult.CURRENT, padded.verify("  Bearer   " + TOKEN + "  ", null, utf8(FIRST)));
        assertEquals(AuthResult.CURRENT, padded.verify(null, " " + sign(SECRET, FIRST).toUpperCase() + " ", utf8(FIRST)));
        assertEquals(AuthResult.CURRENT, padded.verifyToken("Bearer " + TOKEN));
    }

    @Test
    void previousValuesAreAcceptedAndSaySo() {
        assertEquals(new AuthResult.Authenticated(false), signed(AUTH, SECRET, FIRST, FIRST));
        assertEquals(new AuthResult.Authenticated(true), signed(AUTH, OLD_SECRET, FIRST, FIRST));
        assertEquals(new AuthResult.Authenticated(false), AUTH.verify("Bearer " + TOKEN, null, utf8(FIRST)));
        assertEquals(new AuthResult.Authenticated(true), AUTH.verify("Bearer " + OLD_TOKEN, null, utf8(FIRST)));
        assertEquals(new AuthResult.Authenticated(true), AUTH.verifyToken("Bearer " + OLD_TOKEN));
        String body = "[" + FIRST + "," + FORGED + "]";
        assertEquals(new AuthResult.Authenticated(true), signed(AUTH, OLD_SECRET, body, body));
    }

    @Test
    void aThirdValueIsRefused() {
        assertEquals(refused(Refusal.INVALID_CREDENTIALS), signed(AUTH, "older-secret", FIRST, FIRST));
        assertEquals(refused(Refusal.INVALID_CREDENTIALS), AUTH.verify("Bearer older-token", null, utf8(FIRST)));
        assertEquals(refused(Refusal.INVALID_CREDENTIALS), AUTH.verifyToken("Bearer older-token"));
        assertEquals(refused(Refusal.MISSING_CREDENTIALS), AUTH.verifyToken(null));
    }

    @Test
    void previousValueWithoutCurrentIsNotAccepted() {
        RequestAuthenticator onlyPrevious = new RequestAuthenticator(new AuthSettings(Optional.of(SECRET), Optional.empty(),
                Optional.empty(), Optional.of(OLD_TOKEN), false, false));
        assertEquals(refused(Refusal.INVALID_CREDENTIALS), onlyPrevious.verify("Bearer " + OLD_TOKEN, null, utf8(FIRST)));
    }

    @Test
    void openOnlyWhenExplicit() {
        AuthSettings none = AuthSettings.of(Optional.of("  "), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);
        assertFalse(none.configured(), "a blank secret is no secret");
        assertEquals(refused(Refusal.NOT_CONFIGURED), new RequestAuthenticator(none).verify(null, null, utf8(FIRST)));
        AuthSettings open = AuthSettings.of(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(" None "), false);
        assertTrue(open.open());
        assertEquals(AuthResult.CURRENT, new RequestAuthenticator(open).verify(null, null, utf8(FIRST)));
        assertEquals(refused(Refusal.NOT_CONFIGURED), new RequestAuthenticator(open).verifyToken("Bearer x"),
                "the authorizer never lets a request in without a token configured");
    }
}
