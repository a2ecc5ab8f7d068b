package io.segmentramen.entry;

import io.quarkus.test.junit.QuarkusTest;
import io.segmentramen.testing.Endpoints;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class EntryPointSmokeTest {

    @BeforeEach
    void clearSandbox() {
        Endpoints.http().delete("/sandbox/received").then().statusCode(204);
    }

    @Test
    void httpEntryDeliversToSandbox() {
        Endpoints.http().contentType("application/json")
                .body("{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\",\"messageId\":\"smoke-http-1\"}")
                .post("/events")
                .then().statusCode(200).body("delivered", equalTo(1));
        Endpoints.http().get("/sandbox/received").then().body("$", hasSize(1)).body("[0].body.event.name", equalTo("Signed Up"));
    }

    @Test
    void directInvocationDeliversToSandbox() {
        Endpoints.invoke("{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\",\"messageId\":\"smoke-lambda-1\"}")
                .statusCode(200).body("delivered", equalTo(1));
        Endpoints.http().get("/sandbox/received").then().body("$", hasSize(1));
    }

    @Test
    void directInvocationWithFailedEventEndsInError() {
        Endpoints.lambda().body("{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\",\"messageId\":\"smoke-lambda-2\","
                        + "\"organization_id\":\"x\"}")
                .post()
                .then().log().all();
    }
}
