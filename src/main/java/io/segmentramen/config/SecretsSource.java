package io.segmentramen.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * SPEC §13 {@code SecretsSource}: where the secrets come from.
 * <ul>
 * <li>{@code env} (the default when {@code SECRETS_SOURCE} is unset): the environment variables
 * {@code RAMEN_API_KEY}, {@code SEGMENT_AUTH_TOKEN}, … themselves (local runs, tests, the template's
 * {@code SecretsSource=env}, which resolves them by CloudFormation dynamic references).</li>
 * <li>{@code extension}: for each secret {@code NAME}, the variable {@code NAME_SECRET_ID} names a
 * Secrets Manager secret, read once at start from the AWS Parameters and Secrets Lambda Extension
 * over its local HTTP port (no AWS SDK): {@code GET http://localhost:2773/secretsmanager/get?secretId=…}
 * with header {@code X-Aws-Parameters-Secrets-Token: $AWS_SESSION_TOKEN}; the answer is
 * GetSecretValue's JSON, whose {@code SecretString} becomes the value of {@code NAME}.</li>
 * </ul>
 * The values reach the application as a configuration source ({@link SecretsConfigSourceFactory}),
 * which Quarkus consults when it builds the runtime configuration: in the JVM variant that is the
 * first invocation ({@code QuarkusStreamHandler.handleRequest} starts the application), i.e. after a
 * SnapStart restore, never into the snapshot; in the native variant, at process start.
 */
public final class SecretsSource {

    public static final String MODE_VARIABLE = "SECRETS_SOURCE";
    /** {@code NAME_SECRET_ID} holds the secret id of {@code NAME} in extension mode. */
    public static final String ID_SUFFIX = "_SECRET_ID";
    /** Every secret the application reads; nothing else is ever fetched. */
    public static final List<String> SECRETS = List.of("RAMEN_API_KEY", "RAMEN_SECRET_KEY", "SEGMENT_SHARED_SECRET",
            "SEGMENT_AUTH_TOKEN", "SEGMENT_SHARED_SECRET_PREVIOUS", "SEGMENT_AUTH_TOKEN_PREVIOUS");
    public static final String PORT_VARIABLE = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";
    public static final int DEFAULT_PORT = 2773;
    public static final String TOKEN_HEADER = "X-Aws-Parameters-Secrets-Token";

    /** The extension answers "not ready" (or refuses connections) for a moment at the start of an init. */
    static final Duration READY_WAIT = Duration.ofSeconds(3);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(20);
    private static final int MAX_ERROR_CHARS = 200;

    public enum Mode { extension, env }

    /** One GET against the extension: status and body. */
    public record Answer(int status, String body) {
    }

    @FunctionalInterface
    public interface Transport {
        Answer get(URI uri, String token) throws IOException;
    }

    private SecretsSource() {
    }

    public static Mode mode(Map<String, String> env) {
        String value = env.get(MODE_VARIABLE);
        if (value == null || value.isBlank()) {
            return Mode.env;
        }
        try {
            return Mode.valueOf(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(MODE_VARIABLE + " must be 'extension' or 'env', is '" + value + "'");
        }
    }

    /**
     * The secret values to add to the configuration, keyed by environment variable name: empty in
     * env mode; in extension mode, one entry per {@code NAME_SECRET_ID} that is set.
     *
     * @throws IllegalStateException naming the variable and the secret id (never a value) when a
     *                               secret cannot be read or the configuration is contradictory
     */
    public static Map<String, String> load(Map<String, String> env, Transport transport) {
        Mode mode = mode(env);
        List<String> problems = new ArrayList<>();
        Map<String, String> ids = new LinkedHashMap<>();
        for (String name : SECRETS) {
            String id = env.get(name + ID_SUFFIX);
            if (id == null || id.isBlank()) {
                continue;
            }
            if (mode == Mode.env) {
                problems.add(name + ID_SUFFIX + " is set but " + MODE_VARIABLE + " is not 'extension'");
            } else if (env.get(name) != null && !env.get(name).isEmpty()) {
                problems.add("both " + name + " and " + name + ID_SUFFIX + " are set: set one");
            } else {
                ids.put(name, id.trim());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        if (ids.isEmpty()) {
            return Map.of();
        }
        String token = env.get("AWS_SESSION_TOKEN");
        if (token == null || token.isEmpty()) {
            throw new IllegalStateException(MODE_VARIABLE + "=extension needs AWS_SESSION_TOKEN (set by Lambda) to call the "
                    + "Parameters and Secrets extension; locally, use " + MODE_VARIABLE + "=env");
        }
        int port = port(env);
        // In parallel: on Lambda each first read is a Secrets Manager call made by the extension.
        long waitUntil = System.nanoTime() + READY_WAIT.toNanos();
        ExecutorService readers = Executors.newFixedThreadPool(ids.size(), runnable -> {
            Thread thread = new Thread(runnable, "secrets-extension-read");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, CompletableFuture<String>> reads = new LinkedHashMap<>();
            ids.forEach((name, id) -> reads.put(name,
                    CompletableFuture.supplyAsync(() -> fetch(name, id, port, token, transport, waitUntil), readers)));
            Map<String, String> values = new LinkedHashMap<>();
            for (var read : reads.entrySet()) {
                try {
                    values.put(read.getKey(), read.getValue().join());
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
            return values;
        } finally {
            readers.shutdownNow();
        }
    }

    private static int port(Map<String, String> env) {
        String value = env.get(PORT_VARIABLE);
        if (value == null || value.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(PORT_VARIABLE + " must be a port number, is '" + value + "'");
        }
    }

    private static String fetch(String name, String id, int port, String token, Transport transport, long waitUntil) {
        URI uri = URI.create("http://localhost:" + port + "/secretsmanager/get?secretId=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        String what = "cannot read " + name + " (secret id '" + id + "') from the Parameters and Secrets extension at localhost:" + port + ": ";
        while (true) {
            String retryable;
            try {
                Answer answer = transport.get(uri, token);
                if (answer.status() == 200) {
                    return secretString(answer.body(), what);
                }
                String detail = "HTTP " + answer.status() + " " + bounded(answer.body());
                boolean notReady = answer.status() >= 500 || answer.body().toLowerCase(Locale.ROOT).contains("not ready");
                if (!notReady) {
                    throw new IllegalStateException(what + detail);
                }
                retryable = detail;
            } catch (IOException e) {
                retryable = e.getClass().getSimpleName() + " " + bounded(String.valueOf(e.getMessage()));
            }
            if (System.nanoTime() - waitUntil > 0) {
                throw new IllegalStateException(what + retryable + " (gave up after " + READY_WAIT.toSeconds() + " s; is the extension's layer attached?)");
            }
            try {
                Thread.sleep(RETRY_PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(what + "interrupted");
            }
        }
    }

    private static String secretString(String body, String what) {
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(what + "the answer is not JSON");
        }
        JsonNode value = answer == null ? null : answer.get("SecretString");
        if (value == null || !value.isTextual()) {
            throw new IllegalStateException(what + "the secret has no SecretString (store the value as plain text, not binary)");
        }
        return value.textValue();
    }

    private static String bounded(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_ERROR_CHARS ? oneLine : oneLine.substring(0, MAX_ERROR_CHARS) + "…";
    }

    /** The real transport: a plain HTTP/1.1 GET on localhost. */
    public static Answer httpGet(URI uri, String token) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            connection.setRequestProperty(TOKEN_HEADER, token);
            int status = connection.getResponseCode();
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                return new Answer(status, in == null ? "" : new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8));
            }
        } finally {
            connection.disconnect();
        }
    }
}
