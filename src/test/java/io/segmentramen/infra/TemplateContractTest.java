package io.segmentramen.infra;

import io.segmentramen.config.DestinationConfig;
import io.segmentramen.config.OperabilityConfig;
import io.segmentramen.config.Secrets;
import io.segmentramen.config.SegmentConfig;
import io.segmentramen.config.Wiring;
import io.segmentramen.http.HttpCore;
import io.segmentramen.lambda.SegmentLambdaHandler;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import jakarta.inject.Named;
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
 * infra/template.yaml and the code must agree: handler, runtimes, route, the environment variables
 * the template sets (each one the code reads, none repeating a default the code already has), the
 * secrets (dynamic references to secret-id parameters, never values), and the size of what a
 * newcomer is asked at deploy time.
 */
class TemplateContractTest {

    /** Read by Quarkus itself, not by this project's configuration. */
    private static final Set<String> FRAMEWORK_VARIABLES = Set.of("DISABLE_SIGNAL_HANDLERS", "QUARKUS_HTTP_HOST_ENABLED");

    /** The secrets, read from the environment as they are (docs/CONTRACT.md section 7). */
    private static final List<String> SECRETS = Arrays.stream(Secrets.Name.values()).map(Enum::name).toList();

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
    void aNewcomerIsAskedAtMostTwelveQuestionsThreeWithoutADefault() {
        long withoutDefault = parameters().values().stream().filter(p -> !((Map<?, ?>) p).containsKey("Default")).count();
        assertTrue(parameters().size() <= 12, "parameters: " + parameters().keySet());
        assertTrue(withoutDefault <= 3, withoutDefault + " parameters without a default");
    }

    @Test
    void everyEnvironmentVariableTheTemplateSetsIsOneTheCodeReads() {
        Set<String> read = variablesTheCodeReads();
        Set<String> unknown = environment().keySet().stream()
                .filter(name -> !read.contains(name) && !FRAMEWORK_VARIABLES.contains(name))
                .collect(Collectors.toSet());
        assertTrue(unknown.isEmpty(), "the template sets variables the code never reads: " + unknown + " (the code reads " + read + ")");
        assertEquals(Map.of("!Ref", "RamenOrganizationId"), environment().get("RAMEN_ORGANIZATION_ID"));
        assertEquals(Map.of("!Ref", "DeliveryMode"), environment().get("DELIVERY_MODE"));
    }

    /** One default, one place: a setting the code has a default for is not repeated by the template. */
    @Test
    void theTemplateRepeatsNoDefaultOfTheCode() {
        for (Method method : DestinationConfig.class.getMethods()) {
            io.smallrye.config.WithDefault withDefault = method.getAnnotation(io.smallrye.config.WithDefault.class);
            String variable = "RAMEN_" + kebab(method.getName()).toUpperCase().replace('-', '_');
            if (withDefault != null) {
                assertFalse(environment().containsKey(variable), variable + " is the code's default (" + withDefault.value()
                        + "); change it in one place, docs/CONTRACT.md section 7");
            }
        }
    }

    /** Each secret is resolved by CloudFormation from its secret-id parameter, and only when that id is set. */
    @Test
    @SuppressWarnings("unchecked")
    void everySecretIsADynamicReferenceToItsSecretIdParameter() {
        for (String secret : SECRETS) {
            List<Object> value = (List<Object>) ((Map<String, Object>) environment().get(secret)).get("!If");
            assertNotNull(value, secret + " must be set under a condition");
            Object sub = ((Map<String, Object>) value.get(1)).get("!Sub");
            String parameter;
            if (sub instanceof List<?> withVariables) {
                // the shared secret's "new,previous": {{resolve:secretsmanager:${Id}}} with Id one element of its parameter
                assertEquals("{{resolve:secretsmanager:${Id}}}", withVariables.get(0), secret);
                Matcher element = Pattern.compile("\\{!Select=\\[[01], \\{!Split=\\[,, (?:\\{!Ref=|\\{!Sub=\\$\\{)([A-Za-z]+SecretId)}?,?}]}]}")
                        .matcher(String.valueOf(((Map<String, Object>) withVariables.get(1)).get("Id")));
                assertTrue(element.matches(), secret + " must select from a secret-id parameter, is " + withVariables.get(1));
                parameter = element.group(1);
            } else {
                Matcher reference = Pattern.compile("\\{\\{resolve:secretsmanager:\\$\\{([A-Za-z]+SecretId)}}}").matcher(String.valueOf(sub));
                assertTrue(reference.matches(), secret + " must be a dynamic reference to a secret-id parameter, is " + value.get(1));
                parameter = reference.group(1);
            }
            assertTrue(parameters().containsKey(parameter), parameter);
            assertEquals(Map.of("!Ref", "AWS::NoValue"), value.get(2), secret + " must be absent when its id is empty");
        }
        for (String name : parameters().keySet()) {
            assertFalse(name.matches(".*(Secret|Token|Key)$") && !name.endsWith("SecretId"),
                    "a parameter that looks like a secret value: " + name + " (secret values are never parameters)");
        }
        assertFalse(environment().containsKey("SECRETS_SOURCE"), "one mechanism: CloudFormation's dynamic references");
    }

    @Test
    @SuppressWarnings("unchecked")
    void concurrencyIsUnreservedByDefaultAndNeverZero() {
        assertEquals(0, parameter("ReservedConcurrency").get("Default"));
        List<Object> reserved = (List<Object>) ((Map<String, Object>) function().get("ReservedConcurrentExecutions")).get("!If");
        assertEquals("HasReservedConcurrency", reserved.get(0));
        assertEquals(Map.of("!Ref", "AWS::NoValue"), reserved.get(2), "0 must mean no reservation, not a reservation of 0");
    }

    @Test
    void organizationIsARequiredParameter() {
        assertFalse(parameter("RamenOrganizationId").containsKey("Default"), "RamenOrganizationId must have no default");
    }

    @Test
    @SuppressWarnings("unchecked")
    void bothVariantsUseTheHandlerTheCodeRegisters() {
        Map<String, Map<String, Object>> variants = (Map<String, Map<String, Object>>) ((Map<String, Object>) template.get("Mappings")).get("Variant");
        assertEquals("provided.al2023", variants.get("native").get("Runtime"));
        assertEquals("bootstrap", variants.get("native").get("Handler"));
        assertEquals("java21", variants.get("jvm").get("Runtime"));
        assertEquals("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest", variants.get("jvm").get("Handler"));
        assertEquals(List.of("native", "jvm"), parameter("FunctionVariant").get("AllowedValues"));
        assertEquals(SegmentLambdaHandler.class.getAnnotation(Named.class).value(), applicationProperties.getProperty("quarkus.lambda.handler"),
                "quarkus.lambda.handler names the @Named handler");
    }

    @Test
    @SuppressWarnings("unchecked")
    void functionTimeoutLeavesRoomForTheDeliveryDeadlineAndTheQueueWaitsSixTimesIt() throws NoSuchMethodException {
        Map<String, Map<String, Object>> modes = (Map<String, Map<String, Object>>) ((Map<String, Object>) template.get("Mappings")).get("Mode");
        Duration deadline = Duration.parse("PT" + DestinationConfig.class.getMethod("deadline")
                .getAnnotation(io.smallrye.config.WithDefault.class).value().toUpperCase());
        for (Map<String, Object> mode : modes.values()) {
            int timeout = ((Number) mode.get("Timeout")).intValue();
            assertTrue(Duration.ofSeconds(timeout).compareTo(deadline.plusMillis(200)) > 0,
                    "Timeout " + timeout + " s must exceed RAMEN_DEADLINE " + deadline + " plus the 200 ms margin");
        }
        int buffered = ((Number) modes.get("buffered").get("Timeout")).intValue();
        Map<String, Object> queue = properties("EventQueue");
        assertTrue(((Number) queue.get("VisibilityTimeout")).intValue() >= 6 * buffered, "visibility timeout >= 6 x the consumer's timeout");
        assertEquals(1048576, queue.get("MaximumMessageSize"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void routeIsPostOnThePathHttpCoreServes() {
        Map<String, Object> http = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) function().get("Events")).get("Http")).get("Properties");
        assertEquals(HttpCore.PATH, http.get("Path"));
        assertEquals("POST", http.get("Method"));
    }

    /** RAMEN_ORGANIZATION_ID from ramen.organization-id, and so on; plus the unprefixed ones bound in application.properties. */
    private static Set<String> variablesTheCodeReads() {
        Set<String> names = new HashSet<>();
        for (Class<?> mapping : List.of(DestinationConfig.class, SegmentConfig.class, OperabilityConfig.class,
                io.segmentramen.config.IdempotencyConfig.class)) {
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
        names.addAll(SECRETS);
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

    private static Map<String, Object> function() {
        return properties("Function");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment() {
        return (Map<String, Object>) ((Map<String, Object>) function().get("Environment")).get("Variables");
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
