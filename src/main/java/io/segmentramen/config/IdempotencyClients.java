package io.segmentramen.config;

import io.segmentramen.idempotency.IdempotencyTable;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Builds the idempotency table's DynamoDB client, only when the table is on: the AWS SDK's own
 * signing, region (AWS_REGION) and default credential chain, which reads Lambda's
 * environment credentials and, under SnapStart, the container credentials endpoint
 * (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN). The JDK's URL
 * connection carries the requests: no Netty or Apache client. Each attempt is bounded by
 * {@link #ATTEMPT_TIMEOUT}, with at most one retry.
 */
public final class IdempotencyClients {

    /** One attempt's longest wait; the SDK's standard retry adds at most one more attempt. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(250);

    private IdempotencyClients() {
    }

    static IdempotencyTable table(IdempotencyConfig config, int concurrency, Clock clock) {
        ExecutorService executor = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "idempotency-table");
            thread.setDaemon(true);
            return thread;
        });
        return new IdempotencyTable(client(config.endpoint(), java.util.List.of()).build(), config.table().orElseThrow().trim(), config.expiry(), clock, executor);
    }

    /**
     * The client as deployed (region and credentials from the environment unless the caller sets
     * them); {@code interceptors} let tests count the calls.
     */
    public static DynamoDbClientBuilder client(Optional<String> endpoint, java.util.List<ExecutionInterceptor> interceptors) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(ATTEMPT_TIMEOUT).socketTimeout(ATTEMPT_TIMEOUT))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(ATTEMPT_TIMEOUT).executionInterceptors(interceptors)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build()));
        endpoint.filter(uri -> !uri.isBlank()).map(URI::create).ifPresent(builder::endpointOverride);
        return builder;
    }
}
