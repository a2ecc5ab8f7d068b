package io.segmentramen.ramen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.config.DestinationConfig.Transport;
import io.segmentramen.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ramen's wire contract (SPEC §6) over the JDK HTTP client: HTTP/1.1 keep-alive, one pool per
 * instance. The pool is unbounded, so it always holds at least RAMEN_CONCURRENCY connections; the
 * idle timeout is kept short (see {@link #configureConnectionPool()}) because a Lambda frozen between
 * invocations finds its connections closed by the peer.
 */
public final class HttpRamenClient implements RamenClient {

    public static final String USER_AGENT = "segment-ramen-destination/" + BuildVersion.VERSION;

    private final HttpClient http;
    private final URI endpoint;
    private final Transport transport;
    private final Optional<String> apiKey;
    private final String apiKeyHeader;
    private final Clock clock;

    public HttpRamenClient(HttpClient http, String baseUrl, String path, Transport transport,
                           Optional<String> apiKey, String apiKeyHeader, Clock clock) {
        this.http = http;
        this.endpoint = URI.create(stripTrailingSlash(baseUrl) + path);
        this.transport = transport;
        this.apiKey = apiKey.filter(key -> !key.isEmpty());
        this.apiKeyHeader = apiKeyHeader;
        this.clock = clock;
    }

    /** Must run before the first HttpClient is built: the JDK reads it once. */
    public static void configureConnectionPool() {
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "20");
        }
    }

    public static HttpClient newHttpClient(Duration connectTimeout) {
        configureConnectionPool();
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public RamenReply send(ObjectNode payload, Duration timeout) {
        HttpRequest request = request(payload, timeout);
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            HttpResponse<String> response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Optional<Duration> retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant());
            return new RamenReply.Answered(response.statusCode(), response.body(), retryAfter);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new RamenReply.TimedOut();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new RamenReply.ConnectionFailed("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return new RamenReply.TimedOut();
            }
            return new RamenReply.ConnectionFailed(describe(cause));
        }
    }

    private HttpRequest request(ObjectNode payload, Duration timeout) {
        byte[] json = Json.bytes(payload);
        HttpRequest.Builder builder;
        if (transport == Transport.query) {
            String query = "json_payload=" + URLEncoder.encode(new String(json, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            builder = HttpRequest.newBuilder(URI.create(endpoint + (endpoint.getRawQuery() == null ? "?" : "&") + query)).GET();
        } else {
            builder = HttpRequest.newBuilder(endpoint)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        }
        builder.timeout(timeout).header("User-Agent", USER_AGENT).header("Accept", "application/json");
        apiKey.ifPresent(key -> builder.header(apiKeyHeader, key));
        return builder.build();
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage();
        return cause instanceof IOException && message != null ? cause.getClass().getSimpleName() + ": " + message
                : cause.getClass().getSimpleName();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
