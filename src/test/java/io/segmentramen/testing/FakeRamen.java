package io.segmentramen.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * A WireMock stand-in for Ramen on 127.0.0.1 and a free port, for fault injection: status codes,
 * Retry-After, slow answers, dropped connections. Tests get it through {@link InjectFakeRamen}.
 */
public class FakeRamen implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectFakeRamen {
    }

    private WireMockServer server;

    /**
     * Forgets every request and stub, then answers 200 to every {@code /po.json} request at a low
     * priority, so that a test's own stubs win.
     */
    public static void acceptAll(WireMockServer ramen) {
        ramen.resetAll();
        ramen.stubFor(WireMock.any(WireMock.urlPathEqualTo("/po.json")).atPriority(10)
                .willReturn(WireMock.aResponse().withStatus(200)));
    }

    /** How the server is set up: 127.0.0.1, a free port, room for every delivery thread. */
    protected WireMockConfiguration options() {
        return WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(64)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(32);
    }

    protected WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options());
        server.start();
        return Map.of("ramen.base-url", "http://127.0.0.1:" + server.port());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectFakeRamen.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
