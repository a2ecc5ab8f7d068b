package io.segmentramen.ramen;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import io.segmentramen.json.Json;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Vert.x Ramen client's own rules (docs/CONTRACT.md §5): wire headers, body cap, which failures are a stale connection, no parked thread. */
class VertxRamenClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static WireMockServer ramen;
    private static Vertx vertx;
    private VertxRamenClient client;

    @BeforeAll
    static void start() {
        ramen = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(8));
        ramen.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        ramen.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void fresh() {
        ramen.resetAll();
        client = client("http://127.0.0.1:" + ramen.port() + "/");
    }

    private static VertxRamenClient client(String baseUrl) {
        return new VertxRamenClient(vertx, baseUrl, "/po.json", false, Optional.of("k-1"), "RAMEN_API_KEY", 4, Duration.ofSeconds(1),
                Clock.systemUTC());
    }

    private static byte[] payload() {
        return Json.bytes(Json.object().put("organization_id", "org").put("message_id", "m-1"));
    }

    @Test
    void postsTheJsonWithItsHeadersAndReadsTheAnswer() {
        ramen.stubFor(post(urlEqualTo("/po.json")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7").withBody("slow down")));

        RamenReply.Answered answered = assertInstanceOf(RamenReply.Answered.class, client.sendAsync(payload(), TIMEOUT).toCompletableFuture().join());

        assertEquals(new RamenReply.Answered(429, "slow down", Optional.of(Duration.ofSeconds(7))), answered);
        ramen.verify(postRequestedFor(urlEqualTo("/po.json")).withHeader("Content-Type", equalTo("application/json"))
                .withHeader("RAMEN_API_KEY", equalTo("k-1")).withHeader("User-Agent", equalTo(VertxRamenClient.USER_AGENT))
                .withRequestBody(equalTo("{\"organization_id\":\"org\",\"message_id\":\"m-1\"}")));
    }

    /** Ramen's response body is read up to 64 KB, whatever it sends. */
    @Test
    void responseBodyIsReadUpTo64KB() {
        ramen.stubFor(post(urlEqualTo("/po.json")).willReturn(aResponse().withStatus(400).withBody("x".repeat(1_000_000))));

        RamenReply.Answered answered = assertInstanceOf(RamenReply.Answered.class, client.sendAsync(payload(), TIMEOUT).toCompletableFuture().join());

        assertEquals(RamenReply.MAX_BODY_BYTES, answered.body().length());
        assertInstanceOf(RamenReply.Answered.class, client.sendAsync(payload(), TIMEOUT).toCompletableFuture().join(), "the connection stays usable");
    }

    /** Only a reused pooled connection dropped before any response byte earns the free retry. */
    @Test
    void aResetIsStaleOnlyOnAReusedConnection() throws InterruptedException {
        ramen.stubFor(post(urlEqualTo("/po.json")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        RamenReply.ConnectionFailed onFresh = assertInstanceOf(RamenReply.ConnectionFailed.class, client.sendAsync(payload(), TIMEOUT).toCompletableFuture().join());
        assertFalse(onFresh.staleConnection(), "a new connection that fails is an ordinary failure: " + onFresh);

        // The answered connection goes back to the pool asynchronously after its response: on a busy
        // machine the next request can be sent before it is back, and then runs on a new connection.
        // So: up to five rounds, each waiting a moment after the answer; one reused reset must be stale.
        RamenReply.ConnectionFailed onReused = null;
        for (int round = 0; round < 5 && (onReused == null || !onReused.staleConnection()); round++) {
            ramen.resetAll();
            ramen.stubFor(post(urlEqualTo("/po.json")).willReturn(aResponse().withStatus(200)));
            assertInstanceOf(RamenReply.Answered.class, client.sendAsync(payload(), TIMEOUT).toCompletableFuture().join());
            Thread.sleep(300);
            ramen.resetAll();
            ramen.stubFor(post(urlEqualTo("/po.json")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            onReused = assertInstanceOf(RamenReply.ConnectionFailed.class, client.sendAsync(payload(), TIMEOUT).toCompletableFuture().join());
        }
        assertTrue(onReused.staleConnection(), "the pooled connection was reused: " + onReused);
    }

    @Test
    void aRefusedConnectionIsNotStale() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RamenReply reply = client("http://127.0.0.1:" + closedPort).sendAsync(payload(), TIMEOUT).toCompletableFuture().join();
        RamenReply.ConnectionFailed refused = assertInstanceOf(RamenReply.ConnectionFailed.class, reply);
        assertFalse(refused.staleConnection(), refused.toString());
    }

    @Test
    void noAnswerWithinTheTimeoutIsTimedOut() {
        ramen.stubFor(post(urlEqualTo("/po.json")).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        assertEquals(new RamenReply.TimedOut(), client.sendAsync(payload(), Duration.ofMillis(200)).toCompletableFuture().join());
    }

    /** No thread parked per request: every request is in flight while the calling thread holds only futures. */
    @Test
    void manyRequestsAreInFlightFromOneThread() {
        ramen.stubFor(post(urlEqualTo("/po.json")).willReturn(aResponse().withStatus(200).withFixedDelay(300)));
        List<CompletableFuture<RamenReply>> inFlight = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            inFlight.add(client.sendAsync(payload(), TIMEOUT).toCompletableFuture());
        }
        assertTrue(inFlight.stream().noneMatch(CompletableFuture::isDone), "sendAsync returns before Ramen answers");
        for (CompletableFuture<RamenReply> reply : inFlight) {
            assertEquals(200, assertInstanceOf(RamenReply.Answered.class, reply.join()).status());
        }
    }
}
