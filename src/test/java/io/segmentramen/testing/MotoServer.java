package io.segmentramen.testing;

import io.segmentramen.config.IdempotencyClients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A real DynamoDB API for tests: moto's server on 127.0.0.1 and a free port, started here, ready when
 * it answers, ended (with its children) on close. Its request count is read from moto's own log.
 */
public final class MotoServer implements AutoCloseable {

    private final Process process;
    private final File log;
    public final String endpoint;

    private MotoServer(Process process, File log, String endpoint) {
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
    }

    public static MotoServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        File log = File.createTempFile("moto", ".log");
        log.deleteOnExit();
        Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log).start();
        MotoServer server = new MotoServer(process, log, "http://127.0.0.1:" + port);
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(giveUp)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server ended at start: " + java.nio.file.Files.readString(log.toPath()));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(server.endpoint + "/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(200);
                if (connection.getResponseCode() > 0) {
                    return server;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        server.close();
        throw new IllegalStateException("moto_server did not answer within 30 s");
    }

    /** Calls per operation (PutItemRequest, UpdateItemRequest, ...) made through {@link #client()}. */
    public final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicLong> calls =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A client as the function builds it, with moto's endpoint, a region and dummy credentials. */
    public DynamoDbClient client() {
        return client(endpoint);
    }

    /** The same against any endpoint (a closed port: the table unreachable). */
    public DynamoDbClient client(String endpoint) {
        return IdempotencyClients.client(Optional.of(endpoint), java.util.List.of(counting())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();
    }

    private software.amazon.awssdk.core.interceptor.ExecutionInterceptor counting() {
        return new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                calls.computeIfAbsent(context.request().getClass().getSimpleName(), k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
            }
        };
    }

    public long calls(String request) {
        java.util.concurrent.atomic.AtomicLong count = calls.get(request);
        return count == null ? 0 : count.get();
    }

    /**
     * A client with the SDK's default timeouts (moto's first request loads its backend, and a loaded
     * build machine may exceed the function's 250 ms): for set-up, reads, and tests that are not about
     * the time budget. Its calls are counted too.
     */
    public DynamoDbClient admin() {
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .overrideConfiguration(o -> o.addExecutionInterceptor(counting()))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();
    }

    /** A table as the template declares it: partition key {@code id} (string), on demand. */
    public void createTable(String name) {
        try (DynamoDbClient client = admin()) {
            client.createTable(create -> create.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        }
    }

    /** The DynamoDB requests moto answered (its log's request lines; retries included). */
    public long requestsServed() {
        try {
            return java.nio.file.Files.readAllLines(log.toPath()).stream().filter(line -> line.contains("POST / ")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
