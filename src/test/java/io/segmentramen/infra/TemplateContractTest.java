package io.segmentramen.infra;

import io.segmentramen.config.DestinationConfig;
import io.segmentramen.config.OperabilityConfig;
import io.segmentramen.config.Secrets;
import io.segmentramen.config.SegmentConfig;
import io.segmentramen.config.Wiring;
import io.segmentramen.ramen.Transport;
import io.segmentramen.signing.SecureMode;
import io.segmentramen.http.EventsResource;
import io.segmentramen.lambda.SegmentLambdaHandler;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import jakarta.inject.Named;
import jakarta.ws.rs.POST;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
import java.lang.reflect.Parameter;
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
        Set<String> unknown = set.stream()
                .filter(name -> !read.contains(name) && !FRAMEWORK_VARIABLES.contains(name))
                .collect(Collectors.toSet());
        assertTrue(unknown.isEmpty(), "the template sets variables the code never reads: " + unknown + " (the code reads " + read + ")");
        for (String required : List.of("RAMEN_ORGANIZATION_ID", "RAMEN_BASE_URL", "RAMEN_PATH", "RAMEN_TRANSPORT",
                "RAMEN_API_KEY_HEADER", "RAMEN_TIMEOUT", "RAMEN_SECURE_MODE", "SEGMENT_AUTH")) {
            assertTrue(set.contains(required), "the template must set " + required);
        }
    }

    /**
     * Each secret reaches the function as its environment variable, resolved by CloudFormation from a
     * dynamic reference to the secret named by a *SecretId parameter, and only when that parameter is set.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everySecretArrivesAsADynamicReference() {
        for (Secrets.Name secret : Secrets.Name.values()) {
            Object variable = environment().get(secret.name());
            assertTrue(variable instanceof Map, secret + " must be set under a condition, is " + variable);
            List<Object> byValue = (List<Object>) ((Map<String, Object>) variable).get("!If");
            assertNotNull(byValue, secret + " must be set under a condition");
            String reference = String.valueOf(byValue.get(1));
            assertTrue(reference.contains("{{resolve:secretsmanager:"), secret + " must be a dynamic reference, is " + byValue);
            assertEquals(Map.of("!Ref", "AWS::NoValue"), byValue.get(2));
            Matcher idParameter = Pattern.compile("\\$\\{(\\w+SecretId)}").matcher(reference);
            assertTrue(idParameter.find() && parameters().containsKey(idParameter.group(1)),
                    secret + " must name its secret by a *SecretId parameter, is " + reference);
        }
        for (String name : parameters().keySet()) {
            assertFalse(name.matches(".*(Secret|Token|Key)$") && !name.endsWith("SecretId"),
                    "a parameter that looks like a secret value: " + name + " (secret values are never parameters)");
        }
    }

    /** One default, one place: the template's defaults are the code's. */
    @Test
    void wireSettingsDefaultToWhatTheCodeDefaultsTo() throws NoSuchMethodException {
        Map<String, String> parameterForMethod = Map.of("path", "RamenPath", "apiKeyHeader", "RamenApiKeyHeader", "timeout", "RamenTimeout",
                "deadline", "RamenDeadline", "concurrency", "RamenConcurrency", "baseUrl", "RamenBaseUrl", "secureMode", "RamenSecureMode",
                "transport", "RamenTransport", "importAfter", "RamenImportAfter");
        for (var entry : parameterForMethod.entrySet()) {
            String codeDefault = DestinationConfig.class.getMethod(entry.getKey()).getAnnotation(io.smallrye.config.WithDefault.class).value();
            assertEquals(codeDefault, String.valueOf(parameter(entry.getValue()).get("Default")), entry.getValue() + " default");
        }
        assertEquals(Arrays.stream(Transport.values()).map(Enum::name).toList(), parameter("RamenTransport").get("AllowedValues"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void concurrencyIsUnreservedByDefaultAndNeverZero() {
        assertEquals(0, parameter("ReservedConcurrency").get("Default"));
        List<Object> reserved = (List<Object>) ((Map<String, Object>) globals().get("ReservedConcurrentExecutions")).get("!If");
        assertEquals("HasReservedConcurrency", reserved.get(0));
        assertEquals(Map.of("!Ref", "AWS::NoValue"), reserved.get(2), "0 must mean no reservation, not a reservation of 0");
    }

    /** Same fields for both variants; only the default memory (each variant's own) differs. infra/check-template.sh checks the fields. */
    @Test
    @SuppressWarnings("unchecked")
    void bothVariantsPublishAVersionDescribedByTheirConfiguration() {
        List<Object> nativeDescription = versionDescription("NativeFunction");
        List<Object> jvmDescription = versionDescription("JvmFunction");
        assertEquals(nativeDescription.get(0), jvmDescription.get(0));
        for (String variable : List.of("Url", "Layer")) {
            assertEquals(((Map<String, Object>) nativeDescription.get(1)).get(variable), ((Map<String, Object>) jvmDescription.get(1)).get(variable), variable);
        }
        for (String function : List.of("NativeFunction", "JvmFunction")) {
            assertEquals(properties(function).get("MemorySize"), ((Map<String, Object>) versionDescription(function).get(1)).get("Memory"),
                    function + ": the description's memory must be the function's resolved memory");
        }
        assertEquals("live", globals().get("AutoPublishAlias"));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> versionDescription(String function) {
        Object description = properties(function).get("VersionDescription");
        assertNotNull(description, function + " VersionDescription");
        return (List<Object>) ((Map<String, Object>) description).get("!Sub");
    }

    @Test
    void organizationIsARequiredParameterAndSecureModeMatchesTheCode() {
        Map<String, Object> organization = parameter("RamenOrganizationId");
        assertFalse(organization.containsKey("Default"), "RamenOrganizationId must have no default");
        assertEquals(Map.of("!Ref", "RamenOrganizationId"), environment().get("RAMEN_ORGANIZATION_ID"));
        List<String> modes = Arrays.stream(SecureMode.values()).map(Enum::name).toList();
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
    @SuppressWarnings("unchecked")
    void functionTimeoutLeavesRoomForTheOneDeliveryDeadlineAndTheQueueWaitsSixTimesIt() {
        List<Object> timeout = (List<Object>) ((Map<String, Object>) globals().get("Timeout")).get("!If");
        assertEquals("IsBuffered", timeout.get(0));
        int buffered = ((Number) timeout.get(1)).intValue();
        int direct = ((Number) timeout.get(2)).intValue();
        // SPEC §6: one RAMEN_DEADLINE (Segment's 5 s) for HTTP requests and direct invocations in both
        // modes; the SQS consumer uses the Lambda's remaining time instead.
        assertEquals(Map.of("!Ref", "RamenDeadline"), environment().get("RAMEN_DEADLINE"), "RAMEN_DEADLINE must not depend on the delivery mode");
        assertLeavesRoom(direct, "RamenDeadline");
        assertLeavesRoom(buffered, "RamenDeadline");
        Map<String, Object> queue = properties("EventQueue");
        assertTrue(((Number) queue.get("VisibilityTimeout")).intValue() >= 6 * buffered, "visibility timeout >= 6 x the consumer's timeout");
        assertEquals(1048576, queue.get("MaximumMessageSize"));
    }

    private static void assertLeavesRoom(int timeoutSeconds, String deadlineParameter) {
        Duration deadline = Duration.parse("PT" + String.valueOf(parameter(deadlineParameter).get("Default")).toUpperCase());
        assertTrue(Duration.ofSeconds(timeoutSeconds).compareTo(deadline.plusMillis(200)) > 0,
                "Timeout " + timeoutSeconds + " s must exceed " + deadlineParameter + " " + deadline + " plus the 200 ms margin");
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
        for (Class<?> mapping : List.of(DestinationConfig.class, SegmentConfig.class, OperabilityConfig.class)) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            for (Method method : mapping.getDeclaredMethods()) {
                WithName withName = method.getAnnotation(WithName.class);
                String property = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
                names.add(property.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
            }
        }
        // Single properties injected into config.Wiring's producers (METRICS_SERVICE).
        for (Method producer : Wiring.class.getDeclaredMethods()) {
            for (Parameter parameter : producer.getParameters()) {
                ConfigProperty property = parameter.getAnnotation(ConfigProperty.class);
                if (property != null) {
                    names.add(property.name().toUpperCase().replaceAll("[^A-Z0-9]", "_"));
                }
            }
        }
        for (Secrets.Name secret : Secrets.Name.values()) {
            names.add(secret.name());
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
    private static Map<String, Object> parameters() {
        return (Map<String, Object>) template.get("Parameters");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameter(String name) {
        return (Map<String, Object>) parameters().get(name);
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
