package io.segmentramen.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.segmentramen.config.Secrets;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Before each test: the fake Ramen injected into the test's {@link FakeRamen.InjectFakeRamen} field
 * is warmed up once per application start ({@link Warmup}, authenticated with the profile's bearer
 * token when it has one), then forgets every request and answers 200 unless the test stubs otherwise.
 */
public final class ResetFakeRamen implements BeforeEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        Object test = context.getRequiredTestInstance();
        for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(FakeRamen.InjectFakeRamen.class)) {
                    field.setAccessible(true);
                    WireMockServer ramen = (WireMockServer) field.get(test);
                    if (ramen == null) {
                        throw new IllegalStateException(field + " was not injected: is FakeRamen a test resource of the profile?");
                    }
                    Warmup.once(ramen, credentials());
                    FakeRamen.acceptAll(ramen);
                }
            }
        }
    }

    private static Map<String, String> credentials() {
        return Secrets.read(ConfigProvider.getConfig()).get(Secrets.Name.SEGMENT_AUTH_TOKEN)
                .filter(token -> !token.isBlank())
                .map(token -> Map.of("Authorization", "Bearer " + token))
                .orElse(Map.of());
    }
}
