package io.segmentramen.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.json.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The function's AWS credentials as Lambda gives them, read when a request is signed, not at start:
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN when they are set; otherwise (a
 * SnapStart function) the container credentials endpoint AWS_CONTAINER_CREDENTIALS_FULL_URI, asked
 * with AWS_CONTAINER_AUTHORIZATION_TOKEN (or the contents of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE),
 * whose answer is kept until {@link #REFRESH_BEFORE_EXPIRY} before its Expiration. No secret, key or
 * token is ever part of a message or a log line: failures say which source failed and how.
 */
public final class LambdaCredentials {

    /** An answer from the endpoint is refreshed this long before it expires (an answer without Expiration is not kept). */
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);
    /** The longest wait for the credentials endpoint (on Lambda it is local). */
    static final Duration ENDPOINT_TIMEOUT = Duration.ofSeconds(1);

    /** Why no credentials could be had; the message names the source and the failure, never a value. */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private record Kept(AwsCredentialsIdentity identity, Instant refreshAt, Instant expiresAt) {
    }

    private final Vertx vertx;
    private final HttpClient http;
    private final Function<String, String> environment;
    private final Clock clock;
    private Kept kept;
    private CompletableFuture<AwsCredentialsIdentity> fetching;

    /** {@code environment}: a variable's value or null ({@code System::getenv} when deployed). */
    public LambdaCredentials(Vertx vertx, HttpClient http, Function<String, String> environment, Clock clock) {
        this.vertx = vertx;
        this.http = http;
        this.environment = environment;
        this.clock = clock;
    }

    /** The credentials to sign with now; completes exceptionally with {@link Unavailable}. */
    public CompletableFuture<AwsCredentialsIdentity> current() {
        String accessKey = variable("AWS_ACCESS_KEY_ID");
        String secretKey = variable("AWS_SECRET_ACCESS_KEY");
        if (accessKey != null && secretKey != null) {
            return CompletableFuture.completedFuture(identity(accessKey, secretKey, variable("AWS_SESSION_TOKEN")));
        }
        String uri = variable("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        if (uri == null) {
            return CompletableFuture.failedFuture(new Unavailable(
                    "no credentials: neither AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"));
        }
        Kept before;
        CompletableFuture<AwsCredentialsIdentity> fetch;
        synchronized (this) {
            if (kept != null && clock.instant().isBefore(kept.refreshAt())) {
                return CompletableFuture.completedFuture(kept.identity());
            }
            if (fetching != null) {
                return fetching; // one request to the endpoint, however many calls wait for it
            }
            before = kept;
            fetch = new CompletableFuture<>();
            fetching = fetch;
        }
        fetch(uri).onComplete(done -> {
            synchronized (this) {
                fetching = null;
                if (done.succeeded()) {
                    kept = done.result();
                }
            }
            if (done.succeeded()) {
                fetch.complete(done.result().identity());
            } else if (before != null && clock.instant().isBefore(before.expiresAt())) {
                fetch.complete(before.identity()); // the refresh failed; the credentials it was to replace still hold
            } else {
                fetch.completeExceptionally(done.cause());
            }
        });
        return fetch;
    }

    private Future<Kept> fetch(String uri) {
        return token().compose(token -> {
            URI endpoint = URI.create(uri);
            boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
            String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(endpoint.getHost())
                    .setPort(endpoint.getPort() > 0 ? endpoint.getPort() : https ? 443 : 80).setSsl(https)
                    .setURI(endpoint.getRawQuery() == null ? path : path + "?" + endpoint.getRawQuery())
                    .setTimeout(ENDPOINT_TIMEOUT.toMillis()).putHeader("Accept", "application/json");
            if (token != null) {
                options.putHeader("Authorization", token);
            }
            return http.request(options).compose(request -> request.send().compose(response -> response.body().map(body -> {
                if (response.statusCode() != 200) {
                    throw new Unavailable("the container credentials endpoint answered HTTP " + response.statusCode());
                }
                return read(body);
            })));
        }).recover(error -> Future.failedFuture(error instanceof Unavailable ? error
                : new Unavailable("the container credentials endpoint could not be asked: " + error.getClass().getSimpleName())));
    }

    /** The authorization token: the variable, or the file it names (read each time: it may be rotated). */
    private Future<String> token() {
        String token = variable("AWS_CONTAINER_AUTHORIZATION_TOKEN");
        if (token != null) {
            return Future.succeededFuture(token);
        }
        String file = variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        if (file == null) {
            return Future.succeededFuture(null);
        }
        return vertx.fileSystem().readFile(file).map(contents -> contents.toString(StandardCharsets.UTF_8).trim())
                .recover(error -> Future.failedFuture(new Unavailable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE could not be read")));
    }

    private Kept read(Buffer body) {
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            throw new Unavailable("the container credentials endpoint's answer is not JSON");
        }
        String accessKey = text(answer, "AccessKeyId");
        String secretKey = text(answer, "SecretAccessKey");
        if (accessKey == null || secretKey == null) {
            throw new Unavailable("the container credentials endpoint's answer has no AccessKeyId or SecretAccessKey");
        }
        AwsCredentialsIdentity identity = identity(accessKey, secretKey, text(answer, "Token"));
        String expiration = text(answer, "Expiration");
        if (expiration == null) {
            Instant now = clock.instant();
            return new Kept(identity, now, now);
        }
        try {
            Instant expiresAt = Instant.parse(expiration);
            return new Kept(identity, expiresAt.minus(REFRESH_BEFORE_EXPIRY), expiresAt);
        } catch (DateTimeParseException e) {
            throw new Unavailable("the container credentials endpoint's Expiration is not an ISO-8601 instant");
        }
    }

    /** Session credentials when there is a token (Lambda's always have one), plain keys otherwise. */
    private static AwsCredentialsIdentity identity(String accessKey, String secretKey, String token) {
        return token == null ? AwsCredentialsIdentity.create(accessKey, secretKey)
                : AwsSessionCredentialsIdentity.create(accessKey, secretKey, token);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private String variable(String name) {
        String value = environment.apply(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
