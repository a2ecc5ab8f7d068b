package io.segmentramen.testing;

import io.restassured.RestAssured;
import io.restassured.parsing.Parser;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The two ways into the function under @QuarkusTest. Ports are explicit: RestAssured's default
 * port there is the mock Lambda server's, which accepts any POST as an invocation.
 */
public final class Endpoints {

    private Endpoints() {
    }

    public static int httpPort() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081);
    }

    public static int lambdaPort() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.lambda.mock-event-server.test-port", Integer.class).orElse(9081);
    }

    /** {@code POST /events} over HTTP (the RESTEasy resource). */
    public static RequestSpecification http() {
        return RestAssured.given().baseUri("http://localhost").port(httpPort());
    }

    /** A Lambda invocation through Quarkus's mock event server: post the payload, get the function's output. */
    public static RequestSpecification lambda() {
        return RestAssured.given().baseUri("http://localhost").port(lambdaPort()).basePath("/_lambda_");
    }

    /** Invokes the function with this payload; the mock server labels the JSON output as a form, so parse it as JSON. */
    public static ValidatableResponse invoke(String payload) {
        return invoke(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The payload's exact bytes: a String body would be encoded as ISO-8859-1 by RestAssured. */
    public static ValidatableResponse invoke(byte[] payload) {
        return lambda().body(payload).post().then().parser("application/x-www-form-urlencoded", Parser.JSON);
    }
}
