package io.segmentramen.config;

import io.segmentramen.idempotency.DynamoDbApi;
import io.segmentramen.idempotency.IdempotencyTable;
import io.segmentramen.idempotency.LambdaCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;

import java.net.URI;
import java.time.Clock;

/**
 * Builds the idempotency table's DynamoDB caller, only when the table is on: the function's Vert.x with
 * an HTTP client of its own (keep-alive, as many connections as the pipeline's concurrency), the
 * region from AWS_REGION, the endpoint from IDEMPOTENCY_ENDPOINT or the region's, and Lambda's
 * credentials read from the environment when a request is signed.
 */
final class IdempotencyClients {

    private static final int KEEP_ALIVE_SECONDS = 20;

    private IdempotencyClients() {
    }

    static IdempotencyTable table(IdempotencyConfig config, int concurrency, Clock clock, Vertx vertx) {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("IDEMPOTENCY_TABLE is set but AWS_REGION is not: the table's region is unknown");
        }
        URI endpoint = config.endpoint().filter(uri -> !uri.isBlank()).map(uri -> URI.create(uri.trim()))
                .orElseGet(() -> DynamoDbApi.regionalEndpoint(region.trim()));
        HttpClient http = vertx.httpClientBuilder().with(new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true).setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                        .setConnectTimeout((int) DynamoDbApi.ATTEMPT_TIMEOUT.toMillis()).setTcpNoDelay(true)
                        .setVerifyHost(true).setTryUseCompression(false))
                .with(new io.vertx.core.http.PoolOptions().setHttp1MaxSize(Math.max(1, concurrency)).setMaxWaitQueueSize(-1))
                .build();
        LambdaCredentials credentials = new LambdaCredentials(vertx, http, System::getenv, Clock.systemUTC());
        DynamoDbApi api = new DynamoDbApi(vertx, http, endpoint, region.trim(), credentials, DynamoDbApi.ATTEMPT_TIMEOUT,
                DynamoDbApi.Listener.NONE);
        return new IdempotencyTable(api, config.table().orElseThrow().trim(), config.expiry(), clock);
    }
}
