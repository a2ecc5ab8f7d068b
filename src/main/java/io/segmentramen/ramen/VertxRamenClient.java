package io.segmentramen.ramen;

import io.netty.buffer.Unpooled;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ramen's wire contract (docs/CONTRACT.md §5) over Quarkus's own Vert.x: HTTP/1.1 keep-alive with a pool
 * bounded to RAMEN_CONCURRENCY connections, and no thread parked per request — an attempt is a
 * future completed on the event loop. Because the pool is ours, whether a connection was reused is
 * known, which is what decides the one free retry. Idle connections are closed after a
 * short keep-alive, since a Lambda frozen between invocations finds them closed by the peer.
 */
public final class VertxRamenClient implements RamenClient {

    public static final String USER_AGENT = "segment-ramen-destination/" + BuildVersion.VERSION;
    private static final int KEEP_ALIVE_SECONDS = 20;

    private final Vertx vertx;
    private final HttpClient http;
    /** The endpoint split once (host, port, TLS, path and query): parsing an absolute URI per request showed in the profile. */
    private final String host;
    private final int port;
    private final boolean https;
    private final String pathAndQuery;
    private final HttpMethod method;
    /** Every request's headers, built (and checked by Vert.x) once; each request copies them. */
    private final MultiMap headers;
    private final Clock clock;
    /** Connections opened but not yet used by a request: a request on any other one reuses it. */
    private final Set<HttpConnection> unused = ConcurrentHashMap.newKeySet();

    public VertxRamenClient(Vertx vertx, String baseUrl, String path, boolean queryTransport, Optional<String> apiKey,
                            String apiKeyHeader, int maxConnections, Duration connectTimeout, Clock clock) {
        this.vertx = vertx;
        this.method = queryTransport ? HttpMethod.GET : HttpMethod.POST;
        this.headers = headers(queryTransport, apiKey.filter(key -> !key.isEmpty()), apiKeyHeader);
        this.clock = clock;
        URI uri = URI.create(stripTrailingSlash(baseUrl) + path);
        this.https = "https".equalsIgnoreCase(uri.getScheme());
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        this.pathAndQuery = uri.getRawQuery() == null ? rawPath : rawPath + "?" + uri.getRawQuery();
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setConnectTimeout((int) Math.max(1, connectTimeout.toMillis()))
                .setTcpNoDelay(true)
                .setSsl(https)
                .setVerifyHost(true)
                .setTryUseCompression(false);
        this.http = vertx.httpClientBuilder()
                .with(options)
                .with(new PoolOptions().setHttp1MaxSize(Math.max(1, maxConnections)).setMaxWaitQueueSize(-1))
                .withConnectHandler(connection -> {
                    unused.add(connection);
                    connection.closeHandler(closed -> unused.remove(connection));
                    // A connection's failure also reaches the request on it, which reports it for its
                    // event (ramen_unreachable, retried); an idle one is dropped from the pool. Without
                    // this handler Vert.x logs each one again at ERROR, with no event, no request id and
                    // no reason code, where an alarm on ERROR lines would fire on a handled failure.
                    connection.exceptionHandler(handledByTheRequest -> { });
                })
                .build();
    }

    /** Content-Type (a POST's), User-Agent, Accept and the API key when there is one, in that order. */
    private static MultiMap headers(boolean queryTransport, Optional<String> apiKey, String apiKeyHeader) {
        MultiMap headers = HttpHeaders.headers();
        if (!queryTransport) {
            headers.set(HttpHeaders.CONTENT_TYPE, HttpHeaders.createOptimized("application/json"));
        }
        headers.set(HttpHeaders.USER_AGENT, HttpHeaders.createOptimized(USER_AGENT))
                .set(HttpHeaders.ACCEPT, HttpHeaders.createOptimized("application/json"));
        apiKey.ifPresent(key -> headers.set(apiKeyHeader, key));
        return headers;
    }

    @Override
    public CompletionStage<RamenReply> sendAsync(byte[] json, Duration timeout) {
        RequestOptions request = new RequestOptions().setMethod(method).setHost(host).setPort(port).setSsl(https).setHeaders(headers);
        if (method == HttpMethod.GET) {
            String query = "json_payload=" + URLEncoder.encode(new String(json, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            request.setURI(pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + query);
        } else {
            request.setURI(pathAndQuery);
        }
        // The payload's own array, wrapped rather than copied: it is never changed once written.
        return new Attempt(timeout).start(request, method == HttpMethod.GET ? null : Buffer.buffer(Unpooled.wrappedBuffer(json)));
    }

    /** One request: the first of answer, failure or timeout completes it; the others are ignored. */
    private final class Attempt {

        private final CompletableFuture<RamenReply> reply = new CompletableFuture<>();
        private final AtomicBoolean responseStarted = new AtomicBoolean();
        private final Duration timeout;
        private volatile HttpClientRequest current;
        private volatile boolean reused;
        /** The time-out's timer, cancelled by whichever of answer and failure ends the attempt first. */
        private volatile long timer = -1;

        Attempt(Duration timeout) {
            this.timeout = timeout;
        }

        CompletionStage<RamenReply> start(RequestOptions options, Buffer body) {
            timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
                if (reply.complete(new RamenReply.TimedOut())) {
                    HttpClientRequest request = current;
                    if (request != null) {
                        request.reset();
                    }
                }
            });
            http.request(options).onComplete(created -> {
                if (created.failed()) {
                    failed(created.cause());
                    return;
                }
                HttpClientRequest request = created.result();
                current = request;
                reused = !unused.remove(request.connection());
                if (reply.isDone()) {
                    request.reset();
                    return;
                }
                request.exceptionHandler(this::failed);
                (body == null ? request.send() : request.send(body)).onComplete(sent -> {
                    if (sent.failed()) {
                        failed(sent.cause());
                    } else {
                        read(sent.result());
                    }
                });
            });
            return reply;
        }

        private void read(HttpClientResponse response) {
            responseStarted.set(true);
            Buffer body = Buffer.buffer();
            response.handler(chunk -> {
                int room = RamenReply.MAX_BODY_BYTES - body.length();
                if (room > 0) {
                    body.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
                }
            });
            response.exceptionHandler(this::failed);
            response.endHandler(end -> complete(new RamenReply.Answered(response.statusCode(),
                    body.toString(StandardCharsets.UTF_8), RetryAfter.parse(response.getHeader("Retry-After"), clock.instant()))));
        }

        private void failed(Throwable cause) {
            if (cause instanceof ConnectTimeoutException) {
                complete(new RamenReply.TimedOut());
                return;
            }
            boolean dropped = cause instanceof HttpClosedException || (cause instanceof IOException && !(cause instanceof ConnectException));
            boolean stale = reused && !responseStarted.get() && dropped;
            complete(new RamenReply.ConnectionFailed(describe(cause), stale));
        }

        /** Ends the attempt with an answer or a failure, unless its time-out ended it first. */
        private void complete(RamenReply ending) {
            if (reply.complete(ending)) {
                vertx.cancelTimer(timer);
            }
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + message;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
