package io.segmentramen.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.segmentramen.json.Json;
import io.segmentramen.testing.MotoServer;
import io.segmentramen.testing.MutableClock;
import io.vertx.core.http.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DynamoDB caller on the wire: its retries (a stand-in DynamoDB), Lambda's credentials (a stand-in
 * container credentials endpoint), and its signatures checked by a real SigV4 verifier (moto with
 * authentication on).
 */
class DynamoDbApiTest {

    private static final String AMZ_JSON = "application/x-amz-json-1.0";
    private static final HttpClient HTTP = MotoServer.VERTX.createHttpClient();

    private WireMockServer aws;
    private final MutableClock clock = new MutableClock();
    private final List<String> attempts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        aws = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        aws.start();
        clock.fixAt(Instant.parse("2026-03-01T10:00:00Z"));
    }

    @AfterEach
    void stop() {
        aws.stop();
    }

    /** Attempts as long as a loaded build machine may need where the test is not about the attempt timeout. */
    private static final Duration RELAXED = Duration.ofSeconds(5);
    /** An attempt timeout the stand-in's delayed answers (4 s) exceed by far. */
    private static final Duration SHORT = Duration.ofMillis(1_000);
    private final List<Duration> timeouts = new CopyOnWriteArrayList<>();

    private DynamoDbApi api(Map<String, String> environment, Duration attemptTimeout) {
        return new DynamoDbApi(MotoServer.VERTX, HTTP, URI.create(aws.baseUrl()), "eu-west-1",
                new LambdaCredentials(MotoServer.VERTX, HTTP, environment::get, clock), attemptTimeout,
                (operation, attempt, timeout) -> {
                    attempts.add(operation + "#" + attempt);
                    timeouts.add(timeout);
                });
    }

    private DynamoDbApi api(Map<String, String> environment) {
        return api(environment, RELAXED);
    }

    private DynamoDbApi api() {
        return api(MotoServer.DUMMY_CREDENTIALS);
    }

    private static ObjectNode putItem() {
        ObjectNode put = Json.MAPPER.createObjectNode().put("TableName", "t");
        put.putObject("Item").set("id", IdempotencyTable.s("m-1"));
        return put;
    }

    private DynamoDbApi.Answer call(DynamoDbApi api) {
        return api.call("PutItem", putItem(), Duration.ofSeconds(20)).join();
    }

    private void answers(String state, String next, int status, String body, int delayMillis) {
        aws.stubFor(post(urlEqualTo("/")).inScenario("dynamodb").whenScenarioStateIs(state).willSetStateTo(next)
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", AMZ_JSON).withBody(body).withFixedDelay(delayMillis)));
    }

    private static String error(String type) {
        return "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"m\"}";
    }

    @Test
    void aRequestIsDynamoDbsJsonProtocolSignedForDynamoDbInTheRegion() throws Exception {
        answers(STARTED, STARTED, 200, "{}", 0);
        assertInstanceOf(DynamoDbApi.Done.class, call(api(Map.of("AWS_ACCESS_KEY_ID", "AKIDENV", "AWS_SECRET_ACCESS_KEY", "secret-env",
                "AWS_SESSION_TOKEN", "session-env"))));
        LoggedRequest request = aws.findAll(postRequestedFor(urlEqualTo("/"))).get(0);
        assertEquals(AMZ_JSON, request.getHeader("Content-Type"));
        assertEquals("DynamoDB_20120810.PutItem", request.getHeader("X-Amz-Target"));
        assertEquals(List.of(URI.create(aws.baseUrl()).getAuthority()), request.getHeaders().getHeader("Host").values(), "one Host header, the signed one");
        assertEquals(putItem(), Json.MAPPER.readTree(request.getBodyAsString()));
        String authorization = request.getHeader("Authorization");
        assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDENV/"), authorization);
        assertTrue(authorization.contains("/eu-west-1/dynamodb/aws4_request"), authorization);
        assertEquals("session-env", request.getHeader("X-Amz-Security-Token"));
        assertFalse(authorization.contains("secret-env"));
    }

    @Test
    void aFailedAttemptIsTriedOnceMore() {
        answers(STARTED, "second", 500, "", 0);
        answers("second", "third", 200, "{}", 0);
        answers("third", "third", 500, "", 0);
        assertInstanceOf(DynamoDbApi.Done.class, call(api()));
        assertEquals(List.of("PutItem#1", "PutItem#2"), attempts);
        aws.verify(2, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void aTimedOutAttemptIsTriedOnceMore() {
        answers(STARTED, "second", 200, "{}", 4_000);
        answers("second", "second", 200, "{}", 0);
        assertInstanceOf(DynamoDbApi.Done.class, call(api(MotoServer.DUMMY_CREDENTIALS, SHORT)));
        assertEquals(List.of("PutItem#1", "PutItem#2"), attempts);
    }

    @Test
    void neverMoreThanTwoAttempts() {
        answers(STARTED, STARTED, 500, error("InternalServerError"), 0);
        assertEquals(new DynamoDbApi.Unreachable("InternalServerError"), call(api()));
        aws.verify(2, postRequestedFor(urlEqualTo("/")));

        aws.resetRequests();
        answers(STARTED, STARTED, 400, error("ThrottlingException"), 0);
        assertEquals(new DynamoDbApi.Unreachable("ThrottlingException"), call(api()));
        aws.verify(2, postRequestedFor(urlEqualTo("/")));

        aws.resetRequests();
        answers(STARTED, STARTED, 200, "{}", 4_000);
        assertEquals(new DynamoDbApi.Unreachable("timeout"), call(api(MotoServer.DUMMY_CREDENTIALS, SHORT)));
        aws.verify(2, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void aClientErrorIsFinalAndNamed() {
        answers(STARTED, STARTED, 400, error("ValidationException"), 0);
        assertEquals(new DynamoDbApi.Unreachable("ValidationException"), call(api()));
        aws.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void aFailedConditionReturnsTheOldItem() {
        answers(STARTED, STARTED, 400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                + "\"Item\":{\"id\":{\"S\":\"m-1\"},\"status\":{\"S\":\"COMPLETED\"}}}", 0);
        DynamoDbApi.Answer answer = call(api());
        assertEquals("COMPLETED", ((DynamoDbApi.ConditionFailed) answer).body().path("Item").path("status").path("S").asText());
        aws.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    /** The retry gets what is left of the call's budget, not a full attempt: 1.6 s for two 1 s attempts leaves at most 0.6 s. */
    @Test
    void theRetryStaysWithinTheCallsBudget() {
        answers(STARTED, STARTED, 200, "{}", 4_000);
        assertEquals(new DynamoDbApi.Unreachable("timeout"), api(MotoServer.DUMMY_CREDENTIALS, SHORT)
                .call("PutItem", putItem(), Duration.ofMillis(1_600)).join());
        assertEquals(List.of("PutItem#1", "PutItem#2"), attempts);
        assertEquals(SHORT, timeouts.get(0));
        assertTrue(timeouts.get(1).compareTo(Duration.ofMillis(600)) <= 0, () -> "the retry's timeout: " + timeouts.get(1));
    }

    /** SnapStart's credentials: the container endpoint, asked with the token, kept until shortly before they expire. */
    @Test
    void containerCredentialsAreFetchedWithTheTokenAndRefreshedBeforeTheyExpire() {
        answers(STARTED, STARTED, 200, "{}", 0);
        Instant expires = clock.instant().plus(Duration.ofMinutes(10));
        aws.stubFor(get(urlEqualTo("/creds")).withHeader("Authorization", equalTo("container-token")).inScenario("creds")
                .whenScenarioStateIs(STARTED).willSetStateTo("rotated").willReturn(aResponse().withStatus(200)
                        .withBody(credentials("ASIAONE", "secret-one", "token-one", expires))));
        aws.stubFor(get(urlEqualTo("/creds")).withHeader("Authorization", equalTo("container-token")).inScenario("creds")
                .whenScenarioStateIs("rotated").willReturn(aResponse().withStatus(200)
                        .withBody(credentials("ASIATWO", "secret-two", "token-two", expires.plus(Duration.ofHours(1))))));
        Map<String, String> environment = Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", aws.baseUrl() + "/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-token");
        DynamoDbApi api = api(environment);

        call(api);
        call(api);
        aws.verify(1, getRequestedFor(urlEqualTo("/creds")));
        assertSignedWith("ASIAONE", "token-one", 1);

        clock.advance(Duration.ofMinutes(4)); // still more than five minutes before they expire
        call(api);
        aws.verify(1, getRequestedFor(urlEqualTo("/creds")));

        clock.advance(Duration.ofMinutes(2)); // within five minutes of the expiry: fetched again
        call(api);
        aws.verify(2, getRequestedFor(urlEqualTo("/creds")));
        assertSignedWith("ASIATWO", "token-two", 3);
    }

    @Test
    void theTokenMayComeFromAFileAndAWrongOneIsNamedWithoutSecrets() throws Exception {
        answers(STARTED, STARTED, 200, "{}", 0);
        aws.stubFor(get(urlEqualTo("/creds")).withHeader("Authorization", equalTo("token-from-file")).willReturn(aResponse()
                .withStatus(200).withBody(credentials("ASIAFILE", "secret-file", "token-file", clock.instant().plus(Duration.ofHours(1))))));
        aws.stubFor(get(urlEqualTo("/creds")).withHeader("Authorization", equalTo("wrong-token")).willReturn(aResponse().withStatus(403)
                .withBody("{\"message\":\"bad token wrong-token\"}")));
        File tokenFile = File.createTempFile("token", ".txt");
        tokenFile.deleteOnExit();
        Files.writeString(tokenFile.toPath(), "token-from-file\n");
        Map<String, String> environment = new HashMap<>(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", aws.baseUrl() + "/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.getPath()));
        assertInstanceOf(DynamoDbApi.Done.class, call(api(environment)));
        assertSignedWith("ASIAFILE", "token-file", 0);

        environment.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong-token");
        DynamoDbApi.Answer refused = call(api(environment));
        assertEquals(new DynamoDbApi.Unreachable("credentials: the container credentials endpoint answered HTTP 403"), refused);
        aws.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    private void assertSignedWith(String accessKey, String token, int request) {
        LoggedRequest signed = aws.findAll(postRequestedFor(urlEqualTo("/"))).get(request);
        assertTrue(signed.getHeader("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=" + accessKey + "/"), signed.getHeader("Authorization"));
        assertEquals(token, signed.getHeader("X-Amz-Security-Token"));
    }

    private static String credentials(String accessKey, String secret, String token, Instant expiration) {
        return "{\"AccessKeyId\":\"" + accessKey + "\",\"SecretAccessKey\":\"" + secret + "\",\"Token\":\"" + token
                + "\",\"Expiration\":\"" + expiration + "\"}";
    }

    /**
     * moto checks SigV4 signatures once INITIAL_NO_AUTH_ACTION_COUNT actions have passed: an IAM user
     * with DynamoDB rights and an access key are made first (four actions, by the AWS CLI), then every
     * request must be signed with that key's secret.
     */
    @Test
    void aRealVerifierAcceptsTheSignatureAndRefusesAWrongSecret() throws Exception {
        try (MotoServer moto = MotoServer.start(Map.of("INITIAL_NO_AUTH_ACTION_COUNT", "4"))) {
            aws("iam", moto, "create-user", "--user-name", "function");
            JsonNode key = Json.MAPPER.readTree(aws("iam", moto, "create-access-key", "--user-name", "function")).path("AccessKey");
            aws("iam", moto, "put-user-policy", "--user-name", "function", "--policy-name", "table", "--policy-document",
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}]}");
            aws("dynamodb", moto, "create-table", "--table-name", "t", "--attribute-definitions", "AttributeName=id,AttributeType=S",
                    "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST");
            String accessKey = key.path("AccessKeyId").asText();
            String secret = key.path("SecretAccessKey").asText();

            DynamoDbApi wrong = moto.caller(moto.endpoint, Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secret + "x"),
                    Duration.ofSeconds(10));
            assertEquals(new DynamoDbApi.Unreachable("SignatureDoesNotMatch"), wrong.call("PutItem", putItem(), Duration.ofSeconds(20)).join());

            DynamoDbApi right = moto.caller(moto.endpoint, Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secret),
                    Duration.ofSeconds(10));
            IdempotencyTable table = new IdempotencyTable(right, "t", Duration.ofHours(24), clock);
            assertEquals(new IdempotencyTable.Acquired(), table.claim("m-1", clock.instant().plusSeconds(60)).join());
            assertEquals(new IdempotencyTable.HeldElsewhere(), table.claim("m-1", clock.instant().plusSeconds(60)).join());
            assertEquals(Boolean.TRUE, table.complete("m-1", "delivered").join());
            assertEquals(new IdempotencyTable.Completed("delivered"), table.claim("m-1", clock.instant().plusSeconds(60)).join());
        }
    }

    private static String aws(String service, MotoServer moto, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("aws", "--endpoint-url", moto.endpoint, "--region", MotoServer.REGION,
                "--output", "json", service));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "bootstrap", "AWS_SECRET_ACCESS_KEY", "bootstrap"));
        builder.environment().remove("AWS_PROFILE");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output;
    }
}
