package io.segmentramen.testing;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * The first request through a freshly started application (JDK HTTP client, WireMock, the Lambda
 * poll loop, Jackson) can take seconds on a busy build machine: longer than the short RAMEN_TIMEOUT
 * and RAMEN_DEADLINE that fault tests use. One delivered event through each entry point, once per
 * application start, keeps that cost out of the assertions.
 */
public final class Warmup {

    private static final Set<Integer> WARMED = ConcurrentHashMap.newKeySet();

    private Warmup() {
    }

    /**
     * Once per fake Ramen (a new one comes with every application start); leaves it reset.
     *
     * @param credentials headers that authenticate a request, when the profile requires it
     */
    public static void once(WireMockServer ramen, Map<String, String> credentials) {
        if (!WARMED.add(ramen.port())) {
            return;
        }
        ramen.stubFor(any(urlPathEqualTo("/po.json")).willReturn(aResponse().withStatus(200)));
        for (EntryPoint entry : EntryPoint.values()) {
            for (int i = 0; i < 2; i++) {
                Map<String, String> headers = new HashMap<>(credentials);
                headers.put("Content-Type", "application/json");
                entry.post(headers, ("{\"type\":\"track\",\"event\":\"Warm Up\",\"userId\":\"warmup-" + UUID.randomUUID()
                        + "\",\"messageId\":\"warmup-" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8));
            }
        }
        ramen.resetAll();
    }
}
