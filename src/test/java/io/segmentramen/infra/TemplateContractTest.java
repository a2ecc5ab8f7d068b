package io.segmentramen.infra;

import io.segmentramen.config.DestinationConfig;
import io.segmentramen.config.SegmentConfig;
import io.segmentramen.http.EventsResource;
import io.segmentramen.lambda.SegmentLambdaHandler;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import jakarta.inject.Named;
import jakarta.ws.rs.POST;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * infra/template.yaml and the code must agree: handler, runtimes, route, the environment
 * variables the template sets (each one the code reads), and the parameters behind them.
 */
class TemplateContractTest {

    /** Read by Quarkus itself, not by this project's configuration. */
    private static final Set<String> FRAMEWORK_VARIABLES = Set.of("DISABLE_SIGNAL_HANDLERS", "QUARKUS_HTTP_HOST_ENABLED");

    private static Map<String, Object> template;
    private static Properties applicationProperties;

    @BeforeAll
    static void load() throws IOException {
        template = new Yaml(new CloudFormationTags()).load(Files.readString(Path.of("infra/template.yaml")));
        applicationProperties = new Properties();
        try (var in = TemplateContractTest.class.getResourceAsStream("/application.properties")) {
            applicationProperties.load(in);
        }
    }

    @Test
    void everyEnvironmentVariableTheTemplateSetsIsOneTheCodeReads() {
        Set<String> set = environment().keySet();
        Set<String> read = variablesTheCodeReads();
        Set<String> unknown = set.stream().filter(name -> !read.contains(name) && !FRAMEWORK_VARIABLES.contains(name))
                .collect(Collectors.toSet());
        assertTrue(unknown.isEmpty(), "the template sets variables the code never reads: " + unknown + " (the code reads " + read + ")");
        for (String required : List.of("RAMEN_ORGANIZATION_ID", "RAMEN_BASE_URL", "RAMEN_SECURE_MODE", "RAMEN_API_KEY",
                "RAMEN_SECRET_KEY", "SEGMENT_SHARED_SECRET", "SEGMENT_AUTH_TOKEN", "SEGMENT_AUTH")) {
            assertTrue(set.contains(required), "the template must set " + required);
        }
    }

    @Test
    void secretsComeFromSecretsManagerDynamicReferences() {
        for (String secret : List.of("RAMEN_API_KEY", "RAMEN_SECRET_KEY", "SEGMENT_SHARED_SECRET", "SEGMENT_AUTH_TOKEN")) {
            String value = String.valueOf(environment().get(secret));
            assertTrue(value.contains("{{resolve:secretsmanager:"), secret + " must be a dynamic reference, is " + value);
        }
    }

    @Test
    void organizationIsARequiredParameterAndSecureModeMatchesTheCode() {
        Map<String, Object> organization = parameter("RamenOrganizationId");
        assertFalse(organization.containsKey("Default"), "RamenOrganizationId must have no default");
        assertEquals(Map.of("!Ref", "RamenOrganizationId"), environment().get("RAMEN_ORGANIZATION_ID"));
        List<String> modes = Arrays.stream(DestinationConfig.SecureMode.values()).map(Enum::name).toList();
        assertEquals(modes, parameter("RamenSecureMode").get("AllowedValues"));
        assertEquals(Map.of("!Ref", "RamenSecureMode"), environment().get("RAMEN_SECURE_MODE"));
    }

    @Test
    void nativeAndJvmFunctionsUseTheHandlerTheCodeRegisters() {
        Map<String, Object> nativeFunction = properties("NativeFunction");
        assertEquals("provided.al2023", nativeFunction.get("Runtime"));
        assertEquals("bootstrap", nativeFunction.get("Handler"));
        Map<String, Object> jvmFunction = properties("JvmFunction");
        assertEquals("java21", jvmFunction.get("Runtime"));
        assertEquals("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest", jvmFunction.get("Handler"));
        assertNotEquals(nativeFunction.get("CodeUri"), jvmFunction.get("CodeUri"));
        assertEquals(SegmentLambdaHandler.class.getAnnotation(Named.class).value(), applicationProperties.getProperty("quarkus.lambda.handler"),
                "quarkus.lambda.handler names the @Named handler");
    }

    @Test
    void functionTimeoutLeavesRoomForTheDeliveryDeadline() {
        int timeoutSeconds = ((Number) globals().get("Timeout")).intValue();
        Duration deadline = Duration.parse("PT" + String.valueOf(parameter("RamenDeadline").get("Default")).toUpperCase());
        assertTrue(Duration.ofSeconds(timeoutSeconds).compareTo(deadline.plusMillis(200)) > 0,
                "Timeout " + timeoutSeconds + " s must exceed RAMEN_DEADLINE " + deadline + " plus the 200 ms margin");
    }

    @Test
    void routeIsPostEventsAsTheResourceServes() throws NoSuchMethodException {
        assertEquals("POST /events", properties("EventsRoute").get("RouteKey"));
        assertEquals("/events", EventsResource.class.getAnnotation(jakarta.ws.rs.Path.class).value());
        Method post = Arrays.stream(EventsResource.class.getMethods()).filter(m -> m.isAnnotationPresent(POST.class)).findFirst().orElseThrow();
        assertNotNull(post);
    }

    private static void assertNotEquals(Object a, Object b) {
        assertFalse(a.equals(b), "native and JVM variants need separate build outputs, both are " + a);
    }

    /** RAMEN_ORGANIZATION_ID from ramen.organization-id, and so on; plus the unprefixed ones bound in application.properties. */
    private static Set<String> variablesTheCodeReads() {
        Set<String> names = new HashSet<>();
        for (Class<?> mapping : List.of(DestinationConfig.class, SegmentConfig.class)) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            for (Method method : mapping.getDeclaredMethods()) {
                WithName withName = method.getAnnotation(WithName.class);
                String property = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
                names.add(property.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
            }
        }
        Matcher expression = Pattern.compile("\\$\\{([A-Z_]+):").matcher(String.join("\n",
                applicationProperties.values().stream().map(String::valueOf).toList()));
        while (expression.find()) {
            names.add(expression.group(1));
        }
        return names;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> globals() {
        return (Map<String, Object>) ((Map<String, Object>) template.get("Globals")).get("Function");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment() {
        return (Map<String, Object>) ((Map<String, Object>) globals().get("Environment")).get("Variables");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameter(String name) {
        return (Map<String, Object>) ((Map<String, Object>) template.get("Parameters")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(String resource) {
        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        return (Map<String, Object>) ((Map<String, Object>) resources.get(resource)).get("Properties");
    }

    /** Reads CloudFormation's short-form tags (!Ref, !If, !Sub …) as {"!Ref": value} maps. */
    static final class CloudFormationTags extends SafeConstructor {
        CloudFormationTags() {
            super(new LoaderOptions());
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    return Map.of(node.getTag().getValue(), value);
                }
            });
        }
    }
}
