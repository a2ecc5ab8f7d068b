package io.segmentramen.config;

import io.segmentramen.idempotency.DynamoDbApi;
import io.segmentramen.idempotency.IdempotencyTable;
import io.segmentramen.idempotency.LambdaCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * Builds the idempotency table's DynamoDB caller, only when the table is on: the function's Vert.x with
 * an HTTP client of its own (keep-alive, as many connections as the pipeline's concurrency), the
 * region from AWS_REGION, the endpoint from IDEMPOTENCY_ENDPOINT or the region's, and Lambda's
 * credentials read from the environment when a request is signed.
 */
final class IdempotencyClients {

    private static final int KEEP_ALIVE_SECONDS = 20;
    static final String REGION_MISSING = "IDEMPOTENCY_TABLE is set but AWS_REGION is not: the table's region is unknown";

    private IdempotencyClients() {
    }

    /** The table's region: Lambda's AWS_REGION (checked at start when the table is on, {@link StartupChecks}). */
    static Optional<String> region() {
        return Optional.ofNullable(System.getenv("AWS_REGION")).map(String::trim).filter(region -> !region.isEmpty());
    }

    static IdempotencyTable table(IdempotencyConfig config, int concurrency, Clock clock, Vertx vertx) {
        String region = region().orElseThrow(() -> new IllegalStateException(REGION_MISSING));
        URI endpoint = config.endpoint().filter(uri -> !uri.isBlank()).map(uri -> URI.create(uri.trim()))
                .orElseGet(() -> DynamoDbApi.regionalEndpoint(region));
        HttpClient http = vertx.httpClientBuilder().with(new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true).setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                        .setConnectTimeout((int) DynamoDbApi.ATTEMPT_TIMEOUT.toMillis()).setTcpNoDelay(true)
                        .setVerifyHost(true).setTryUseCompression(false))
                .with(new PoolOptions().setHttp1MaxSize(Math.max(1, concurrency)).setMaxWaitQueueSize(-1))
                .build();
        LambdaCredentials credentials = new LambdaCredentials(vertx, http, System::getenv, Clock.systemUTC());
        DynamoDbApi api = new DynamoDbApi(vertx, http, endpoint, region, credentials, DynamoDbApi.ATTEMPT_TIMEOUT,
                DynamoDbApi.Listener.NONE);
        return new IdempotencyTable(api, config.table().orElseThrow().trim(), config.expiry(), clock);
    }
}
