package io.segmentramen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.idempotency.DynamoDbApi;
import io.segmentramen.idempotency.LambdaCredentials;
import io.segmentramen.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A real DynamoDB API for tests: moto's server on 127.0.0.1 and a free port, started here, ready when
 * it answers, ended (with its children) on close. Its request count is read from moto's own log, or
 * counted per operation by the callers made here. {@code environment} is given to moto_server (e.g.
 * INITIAL_NO_AUTH_ACTION_COUNT, which makes it check signatures).
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

    /** One Vert.x for every caller the tests make (its event loops are daemon threads). */
    public static final Vertx VERTX = Vertx.vertx();
    private static final HttpClient HTTP = VERTX.createHttpClient();
    public static final String REGION = "us-east-1";
    /** Credentials for moto when it does not check them. */
    public static final Map<String, String> DUMMY_CREDENTIALS = Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");

    public static MotoServer start() throws IOException, InterruptedException {
        return start(Map.of());
    }

    public static MotoServer start(Map<String, String> environment) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        File log = File.createTempFile("moto", ".log");
        log.deleteOnExit();
        ProcessBuilder builder = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log);
        builder.environment().putAll(environment);
        Process process = builder.start();
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

    /** Calls per operation (PutItem, UpdateItem, ...) made through {@link #client()} and {@link #admin()}: first attempts only. */
    public final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicLong> calls =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A caller as the function builds it (250 ms per attempt), with moto's endpoint, a region and dummy credentials. */
    public DynamoDbApi client() {
        return client(endpoint);
    }

    /** The same against any endpoint (a closed port: the table unreachable). */
    public DynamoDbApi client(String endpoint) {
        return caller(endpoint, DUMMY_CREDENTIALS, DynamoDbApi.ATTEMPT_TIMEOUT);
    }

    /** A caller with the given environment's credentials and attempt timeout. */
    public DynamoDbApi caller(String endpoint, Map<String, String> environment, Duration attemptTimeout) {
        return new DynamoDbApi(VERTX, HTTP, URI.create(endpoint), REGION, new LambdaCredentials(VERTX, HTTP, environment::get,
                java.time.Clock.systemUTC()), attemptTimeout, (operation, attempt, timeout) -> {
                    if (attempt == 1) {
                        calls.computeIfAbsent(operation, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
                    }
                });
    }

    public long calls(String operation) {
        java.util.concurrent.atomic.AtomicLong count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    /**
     * A caller with 10 s attempts (moto's first request loads its backend, and a loaded build machine
     * may exceed the function's 250 ms): for set-up, reads, and tests that are not about the time
     * budget. Its calls are counted too.
     */
    public DynamoDbApi admin() {
        return caller(endpoint, DUMMY_CREDENTIALS, ADMIN_TIMEOUT);
    }

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    /** Calls {@code operation} with a generous budget and returns its result; anything else fails the test. */
    public JsonNode call(String operation, ObjectNode request) {
        DynamoDbApi.Answer answer = admin().call(operation, request, ADMIN_TIMEOUT.multipliedBy(2)).join();
        if (answer instanceof DynamoDbApi.Done done) {
            return done.body();
        }
        throw new IllegalStateException(operation + " failed: " + answer);
    }

    /** A table as the template declares it: partition key {@code id} (string), on demand. */
    public void createTable(String name) {
        ObjectNode create = Json.MAPPER.createObjectNode().put("TableName", name).put("BillingMode", "PAY_PER_REQUEST");
        create.putArray("AttributeDefinitions").addObject().put("AttributeName", "id").put("AttributeType", "S");
        create.putArray("KeySchema").addObject().put("AttributeName", "id").put("KeyType", "HASH");
        call("CreateTable", create);
    }

    /** The item {@code id} of {@code table} in DynamoDB's JSON form (empty when there is none). */
    public JsonNode item(String table, String id) {
        ObjectNode get = Json.MAPPER.createObjectNode().put("TableName", table).put("ConsistentRead", true);
        get.putObject("Key").putObject("id").put("S", id);
        return call("GetItem", get).path("Item");
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
