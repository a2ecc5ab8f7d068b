package io.segmentramen.config;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §13 SecretsSource against a local stand-in of the AWS Parameters and Secrets Lambda
 * Extension's HTTP interface: GET /secretsmanager/get?secretId=ID with header
 * X-Aws-Parameters-Secrets-Token = the session token, answering GetSecretValue's JSON.
 */
class SecretsSourceTest {

    private static final String SESSION_TOKEN = "session-token-1";
    /** Marks a secret stored as SecretBinary. */
    private static final String BINARY = "<binary>";

    private HttpServer extension;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final AtomicInteger notReadyAnswers = new AtomicInteger();

    @BeforeEach
    void startExtension() throws IOException {
        extension = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        extension.createContext("/secretsmanager/get", this::answer);
        extension.start();
    }

    @AfterEach
    void stopExtension() {
        extension.stop(0);
    }

    /** As the extension does: token checked first, then the secret looked up. */
    private void answer(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String id = URLDecoder.decode(query.substring(query.indexOf("secretId=") + 9), StandardCharsets.UTF_8);
        requested.add(id);
        int status;
        String body;
        if (notReadyAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            status = 400;
            body = "not ready to serve traffic, please wait";
        } else if (!SESSION_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Aws-Parameters-Secrets-Token"))) {
            status = 401;
            body = "Unauthorized";
        } else if (!secrets.containsKey(id)) {
            status = 400;
            body = "ResourceNotFoundException: Secrets Manager can't find the specified secret.";
        } else if (BINARY.equals(secrets.get(id))) {
            status = 200;
            body = "{\"Name\":\"" + id + "\",\"SecretBinary\":\"AAEC\"}";
        } else {
            status = 200;
            body = "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + id + "-AbCdEf\",\"Name\":\"" + id
                    + "\",\"SecretString\":\"" + secrets.get(id) + "\",\"VersionStages\":[\"AWSCURRENT\"]}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("SECRETS_SOURCE", "extension");
        env.put("AWS_SESSION_TOKEN", SESSION_TOKEN);
        env.put("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", String.valueOf(extension.getAddress().getPort()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void extensionModeReadsEachNamedSecretOverTheLocalPortWithTheSessionToken() {
        secrets.put("segment-ramen/auth-token", "token-current");
        secrets.put("segment-ramen/auth-token-old", "token-previous");
        secrets.put("segment-ramen/ramen key+/=", "api-key-1");

        Map<String, String> values = SecretsSource.load(env(
                "SEGMENT_AUTH_TOKEN_SECRET_ID", "segment-ramen/auth-token",
                "SEGMENT_AUTH_TOKEN_PREVIOUS_SECRET_ID", "segment-ramen/auth-token-old",
                "RAMEN_API_KEY_SECRET_ID", "segment-ramen/ramen key+/="), SecretsSource::httpGet);

        assertEquals(Map.of("SEGMENT_AUTH_TOKEN", "token-current", "SEGMENT_AUTH_TOKEN_PREVIOUS", "token-previous",
                "RAMEN_API_KEY", "api-key-1"), values);
        assertEquals(3, requested.size(), "one request per configured secret, none for the others: " + requested);
        assertTrue(requested.contains("segment-ramen/ramen key+/="), "the id is URL-encoded and arrives intact: " + requested);
    }

    @Test
    void envModeIsTheDefaultAndNeverCallsTheExtension() {
        Map<String, String> env = env("RAMEN_API_KEY", "from-env");
        env.remove("SECRETS_SOURCE");
        assertEquals(Map.of(), SecretsSource.load(env, SecretsSource::httpGet));
        assertEquals(Map.of(), SecretsSource.load(env("SECRETS_SOURCE", "env"), SecretsSource::httpGet));
        assertTrue(requested.isEmpty());
    }

    @Test
    void extensionModeWithoutSecretIdsReadsNothing() {
        Map<String, String> env = env();
        env.remove("AWS_SESSION_TOKEN");
        assertEquals(Map.of(), SecretsSource.load(env, SecretsSource::httpGet));
        assertTrue(requested.isEmpty());
    }

    @Test
    void anUnknownSecretStopsTheStartNamingVariableAndIdButNoValue() {
        secrets.put("known", "value-that-must-not-leak");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SecretsSource.load(env(
                "RAMEN_API_KEY_SECRET_ID", "known", "SEGMENT_SHARED_SECRET_SECRET_ID", "missing/secret"), SecretsSource::httpGet));
        assertTrue(e.getMessage().contains("SEGMENT_SHARED_SECRET (secret id 'missing/secret')"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 400 ResourceNotFoundException"), e.getMessage());
        assertFalse(e.getMessage().contains("value-that-must-not-leak"), e.getMessage());
        assertEquals(List.of("known", "missing/secret"), requested.stream().sorted().toList(), "a 400 is final, not retried");
    }

    @Test
    void aWrongSessionTokenIsRefusedByTheExtension() {
        secrets.put("s", "v");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SecretsSource.load(env("AWS_SESSION_TOKEN", "stale", "SEGMENT_AUTH_TOKEN_SECRET_ID", "s"), SecretsSource::httpGet));
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
    }

    @Test
    void anExtensionNotReadyYetIsWaitedFor() {
        secrets.put("s", "v");
        notReadyAnswers.set(3);
        assertEquals(Map.of("SEGMENT_AUTH_TOKEN", "v"),
                SecretsSource.load(env("SEGMENT_AUTH_TOKEN_SECRET_ID", "s"), SecretsSource::httpGet));
        assertEquals(4, requested.size());
    }

    @Test
    void noExtensionListeningFailsAfterTheReadyWaitSayingWhy() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SecretsSource.load(env(
                "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", String.valueOf(closedPort), "SEGMENT_AUTH_TOKEN_SECRET_ID", "s"),
                SecretsSource::httpGet));
        assertTrue(e.getMessage().contains("layer attached"), e.getMessage());
    }

    @Test
    void aBinarySecretIsRefused() {
        secrets.put("binary", BINARY);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SecretsSource.load(env("RAMEN_SECRET_KEY_SECRET_ID", "binary"), SecretsSource::httpGet));
        assertTrue(e.getMessage().contains("RAMEN_SECRET_KEY") && e.getMessage().contains("no SecretString"), e.getMessage());
    }

    @Test
    void contradictoryConfigurationIsRefusedBeforeAnyRequest() {
        IllegalStateException both = assertThrows(IllegalStateException.class, () -> SecretsSource.load(env(
                "SEGMENT_AUTH_TOKEN", "literal", "SEGMENT_AUTH_TOKEN_SECRET_ID", "s"), SecretsSource::httpGet));
        assertTrue(both.getMessage().contains("both SEGMENT_AUTH_TOKEN and SEGMENT_AUTH_TOKEN_SECRET_ID"), both.getMessage());
        assertFalse(both.getMessage().contains("literal"));

        IllegalStateException idInEnvMode = assertThrows(IllegalStateException.class, () -> SecretsSource.load(env(
                "SECRETS_SOURCE", "env", "RAMEN_API_KEY_SECRET_ID", "k"), SecretsSource::httpGet));
        assertTrue(idInEnvMode.getMessage().contains("RAMEN_API_KEY_SECRET_ID is set but SECRETS_SOURCE is not 'extension'"));

        IllegalStateException badMode = assertThrows(IllegalStateException.class,
                () -> SecretsSource.load(env("SECRETS_SOURCE", "ssm"), SecretsSource::httpGet));
        assertTrue(badMode.getMessage().contains("SECRETS_SOURCE must be 'extension' or 'env'"));

        Map<String, String> noToken = env("SEGMENT_AUTH_TOKEN_SECRET_ID", "s");
        noToken.remove("AWS_SESSION_TOKEN");
        IllegalStateException missingToken = assertThrows(IllegalStateException.class, () -> SecretsSource.load(noToken, SecretsSource::httpGet));
        assertTrue(missingToken.getMessage().contains("AWS_SESSION_TOKEN"));
        assertTrue(requested.isEmpty());
    }
}
