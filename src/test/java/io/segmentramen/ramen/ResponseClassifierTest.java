package io.segmentramen.ramen;

import io.segmentramen.ramen.ResponseClassifier.Classification;
import io.segmentramen.ramen.ResponseClassifier.Delivered;
import io.segmentramen.ramen.ResponseClassifier.Final;
import io.segmentramen.ramen.ResponseClassifier.Retryable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every answer of docs/CONTRACT.md §5 and the outcome §2 gives it. */
class ResponseClassifierTest {

    private static Classification answered(int status, String body) {
        return ResponseClassifier.classify(new RamenReply.Answered(status, body, Optional.empty()));
    }

    @ParameterizedTest(name = "{0} → delivered")
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void twoHundredsAreDelivered(int status) {
        assertEquals(new Delivered(status), answered(status, ""));
    }

    @Test
    void unauthorizedIsAConfigurationFailure() {
        Final error = assertInstanceOf(Final.class, answered(401, "{\"error\":\"bad hash\"}"));
        assertEquals("ramen_unauthorized", error.rejection().code());
        assertEquals(401, error.status());
        String message = error.rejection().message();
        assertTrue(message.contains("RAMEN_SECRET_KEY") && message.contains("bad hash"), message);
    }

    @Test
    void notFoundIsAnUnknownOrganization() {
        Final error = assertInstanceOf(Final.class, answered(404, ""));
        assertEquals("ramen_unknown_organization", error.rejection().code());
        assertTrue(error.rejection().message().contains("RAMEN_ORGANIZATION_ID"), error.rejection().message());
    }

    /** A redirect is a configuration error (http:// for https://, a wrong host): failed, never rejected. */
    @ParameterizedTest(name = "{0} → failed ramen_redirect")
    @ValueSource(ints = {300, 301, 302, 303, 304, 307, 308, 399})
    void redirectsAreConfigurationFailures(int status) {
        Final error = assertInstanceOf(Final.class, answered(status, "<html>Moved</html>"));
        assertEquals("ramen_redirect", error.rejection().code());
        assertEquals(status, error.status());
        assertTrue(error.rejection().message().contains("RAMEN_BASE_URL"), error.rejection().message());
        assertTrue(error.rejection().reason().configurationError());
    }

    @ParameterizedTest(name = "{0} → rejected")
    @ValueSource(ints = {400, 402, 403, 405, 406, 409, 410, 411, 413, 415, 422, 451, 499, 501})
    void otherClientErrorsAnd501AreRejected(int status) {
        Final rejected = assertInstanceOf(Final.class, answered(status, "{\"error\":\"Ramen says no\"}"));
        assertEquals("ramen_rejected", rejected.rejection().code());
        assertEquals(status, rejected.status());
        assertEquals("Ramen answered " + status + ": Ramen says no", rejected.rejection().message());
    }

    @ParameterizedTest(name = "{0} → retryable")
    @ValueSource(ints = {408, 423, 429, 500, 502, 503, 504, 505, 507, 511, 599})
    void throttlingTimeoutsAndOtherServerErrorsAreRetryable(int status) {
        Retryable retryable = assertInstanceOf(Retryable.class, answered(status, ""));
        assertEquals(status, retryable.status());
        assertEquals(status == 429 ? "ramen_throttled" : "ramen_unavailable", retryable.rejection().code());
    }

    @Test
    void retryAfterTravelsWithTheRetryable() {
        Retryable retryable = assertInstanceOf(Retryable.class,
                ResponseClassifier.classify(new RamenReply.Answered(429, "", Optional.of(Duration.ofSeconds(7)))));
        assertEquals(Optional.of(Duration.ofSeconds(7)), retryable.retryAfter());
    }

    @Test
    void timeoutAndConnectionFailureAreRetryable() {
        Retryable timeout = assertInstanceOf(Retryable.class, ResponseClassifier.classify(new RamenReply.TimedOut()));
        assertEquals("ramen_timeout", timeout.rejection().code());
        assertEquals(null, timeout.status());
        Retryable unreachable = assertInstanceOf(Retryable.class, ResponseClassifier.classify(new RamenReply.ConnectionFailed("reset", false)));
        assertEquals("ramen_unreachable", unreachable.rejection().code());
        assertTrue(unreachable.rejection().message().contains("reset"));
    }

    @Test
    void ramensMessageIsTakenFromTheUsualShapes() {
        assertEquals("Ramen answered 400: a", ((Final) answered(400, "{\"error\":\"a\"}")).rejection().message());
        assertEquals("Ramen answered 400: b", ((Final) answered(400, "{\"error\":{\"message\":\"b\",\"code\":9}}")).rejection().message());
        assertEquals("Ramen answered 400: c", ((Final) answered(400, "{\"message\":\"c\"}")).rejection().message());
        assertEquals("Ramen answered 400: plain words", ((Final) answered(400, "  plain\n words ")).rejection().message());
        assertEquals("Ramen answered 400", ((Final) answered(400, "")).rejection().message());
        String longMessage = ((Final) answered(400, "x".repeat(1_000))).rejection().message();
        assertTrue(longMessage.length() < 300 && longMessage.endsWith("…"), "bounded: " + longMessage.length());
    }
}
