package io.segmentramen.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ConnectTimeoutException;
import io.segmentramen.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DynamoDB's JSON protocol (version 1.0) over the function's Vert.x HTTP client: {@code POST /} with
 * {@code X-Amz-Target: DynamoDB_20120810.<operation>}, each request signed by the AWS SDK's own SigV4
 * signer ({@link AwsV4HttpSigner}, signing name {@code dynamodb}). No thread waits: a call is a future
 * completed on the event loop. An attempt is bounded by the attempt timeout; a connection failure, a
 * timeout, a 5xx or a throttling answer is tried once more while the call's budget lasts; every other
 * answer is final.
 */
public final class DynamoDbApi {

    /** One attempt's longest wait as deployed; a second attempt only after a retryable failure. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(250);
    static final int MAX_ATTEMPTS = 2;
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    /** Error types DynamoDB asks to retry (besides every 5xx). */
    private static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException", "ThrottlingException",
            "RequestLimitExceeded", "InternalServerError");
    /** The error code of a non-JSON error body (an XML one from an authentication front end, as moto's). */
    private static final Pattern XML_CODE = Pattern.compile("<Code>([A-Za-z0-9.]{1,100})</Code>");

    /** How a call ended. */
    public sealed interface Answer {
    }

    /** A 200: the operation's JSON result. */
    public record Done(JsonNode body) implements Answer {
    }

    /** A conditional check failed: the error body (with {@code Item} when the old item was asked for). */
    public record ConditionFailed(JsonNode body) implements Answer {
    }

    /** No usable answer: {@code cause} names the error type or the failure, never a credential. */
    public record Unreachable(String cause) implements Answer {
    }

    /** Sees every attempt (its number, from 1, and how long it may take) before it is sent; tests count requests with it. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (operation, attempt, timeout) -> { };

        void attempt(String operation, int attempt, Duration timeout);
    }

    private record Attempted(Answer answer, boolean retryable) {
    }

    private final Vertx vertx;
    private final HttpClient http;
    private final URI endpoint;
    private final String host;
    private final int port;
    private final boolean https;
    private final String region;
    private final LambdaCredentials credentials;
    private final Duration attemptTimeout;
    private final Listener listener;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public DynamoDbApi(Vertx vertx, HttpClient http, URI endpoint, String region, LambdaCredentials credentials,
                       Duration attemptTimeout, Listener listener) {
        this.vertx = vertx;
        this.http = http;
        this.endpoint = endpoint;
        this.https = "https".equalsIgnoreCase(endpoint.getScheme());
        this.host = endpoint.getHost();
        this.port = endpoint.getPort() > 0 ? endpoint.getPort() : https ? 443 : 80;
        this.region = region;
        this.credentials = credentials;
        this.attemptTimeout = attemptTimeout;
        this.listener = listener;
    }

    /**
     * DynamoDB's regional endpoint. China's regions ({@code cn-*}) are under {@code amazonaws.com.cn}:
     * there IDEMPOTENCY_ENDPOINT must name the endpoint.
     */
    public static URI regionalEndpoint(String region) {
        return URI.create("https://dynamodb." + region + ".amazonaws.com");
    }

    /** Calls {@code operation} with {@code request}; every attempt, retry included, ends within {@code budget}. */
    public CompletableFuture<Answer> call(String operation, ObjectNode request, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new Unreachable(e.getClass().getSimpleName()));
        }
        return credentials.current()
                .thenCompose(identity -> attempt(operation, body, identity, 1, deadline))
                .exceptionally(error -> {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    return new Unreachable(cause instanceof LambdaCredentials.Unavailable ? "credentials: " + cause.getMessage()
                            : cause.getClass().getSimpleName());
                });
    }

    private CompletableFuture<Answer> attempt(String operation, byte[] body, AwsCredentialsIdentity identity, int number, long deadline) {
        long timeoutMillis = Math.min(attemptTimeout.toMillis(), TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        if (timeoutMillis < 1) {
            return CompletableFuture.completedFuture(new Unreachable("timeout"));
        }
        listener.attempt(operation, number, Duration.ofMillis(timeoutMillis));
        return send(operation, body, identity, timeoutMillis).thenCompose(attempted -> attempted.retryable() && number < MAX_ATTEMPTS
                ? attempt(operation, body, identity, number + 1, deadline)
                : CompletableFuture.completedFuture(attempted.answer()));
    }

    private CompletableFuture<Attempted> send(String operation, byte[] body, AwsCredentialsIdentity identity, long timeoutMillis) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint).encodedPath("/")
                .putHeader("Content-Type", CONTENT_TYPE).putHeader("X-Amz-Target", TARGET_PREFIX + operation).build();
        SignedRequest signed = signer.sign(sign -> sign.identity(identity).request(unsigned)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setSsl(https).setURI("/");
        signed.request().forEachHeader((name, values) -> values.forEach(value -> options.addHeader(name, value)));

        CompletableFuture<Attempted> result = new CompletableFuture<>();
        HttpClientRequest[] current = new HttpClientRequest[1];
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (result.complete(new Attempted(new Unreachable("timeout"), true))) {
                synchronized (current) {
                    if (current[0] != null) {
                        current[0].reset();
                    }
                }
            }
        });
        result.whenComplete((done, error) -> vertx.cancelTimer(timer));
        http.request(options).compose(request -> {
            synchronized (current) {
                current[0] = request;
            }
            if (result.isDone()) {
                request.reset();
            }
            return request.send(Buffer.buffer(body));
        }).compose(response -> response.body().map(answer -> classify(response.statusCode(), answer)))
                .onComplete(done -> result.complete(done.succeeded() ? done.result()
                        : new Attempted(new Unreachable(failure(done.cause())), true)));
        return result;
    }

    private static Attempted classify(int status, Buffer body) {
        if (status == 200) {
            try {
                return new Attempted(new Done(Json.MAPPER.readTree(body.getBytes())), false);
            } catch (IOException e) {
                return new Attempted(new Unreachable("a 200 answer that is not JSON"), false);
            }
        }
        JsonNode error = null;
        String type = null;
        try {
            error = Json.MAPPER.readTree(body.getBytes());
            String named = error == null ? "" : error.path("__type").asText("");
            type = named.isEmpty() ? null : named.substring(named.lastIndexOf('#') + 1);
        } catch (IOException notJson) {
            Matcher code = XML_CODE.matcher(body.toString());
            type = code.find() ? code.group(1) : null;
        }
        if ("ConditionalCheckFailedException".equals(type) && error != null) {
            return new Attempted(new ConditionFailed(error), false);
        }
        String cause = type == null ? "HTTP " + status : type;
        return new Attempted(new Unreachable(cause), status >= 500 || (type != null && THROTTLING.contains(type)));
    }

    private static String failure(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "timeout";
        }
        return cause instanceof ConnectException ? "ConnectException" : cause.getClass().getSimpleName();
    }
}
