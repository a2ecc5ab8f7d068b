package io.segmentramen.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure of the design card, checked on the compiled main classes: stages own their
 * types, configuration and wiring sit above every stage, entry points above the pipeline, and no
 * package imports one that imports it back.
 */
@AnalyzeClasses(packages = ArchitectureTest.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String ROOT = "io.segmentramen";

    /**
     * THE layer order, top to bottom, written once. A package may use the packages of any level below
     * its own and nothing else; packages on one level do not use each other. A new package must be
     * placed here (see {@link #everyPackageHasAPlace}); a package listed but absent is fine.
     */
    static final List<List<String>> LEVELS = List.of(
            List.of("sandbox"),            // dev/test-only stand-in for Ramen, outside the product
            List.of("config"),             // configuration and wiring: above every stage
            List.of("lambda"),             // the Lambda handler: API Gateway, SQS, direct invocation
            List.of("http"),               // POST /events: one framework-free core, thin RESTEasy wrapper
            List.of("delivery"),           // the pipeline: validate → map → sign → deliver → report
            List.of("observability"),      // EMF metrics of a request, log context, raw log lines
            List.of("signing", "ramen", "idempotency"), // Secure Mode; Ramen's wire contract; the optional DynamoDB table
            List.of("mapping", "auth"),    // Segment → Ramen fields; request authentication (json/segment only)
            List.of("segment"),            // Segment events as they arrive, their rules and time forms
            List.of("json", "outcome"));   // the one ObjectMapper; why an event ended (Rejection, Status), for every stage

    /** The stages of the pipeline: none of them may read configuration (it is injected into them). */
    static final String[] STAGES = {"segment", "mapping", "signing", "ramen", "idempotency", "delivery"};

    @ArchTest
    static final ArchRule layers = layered();

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule stagesDoNotImportConfig = noClasses().that().resideInAnyPackage(packages(STAGES))
            .should().dependOnClassesThat().resideInAPackage(ROOT + ".config..")
            .because("configuration is injected into the stages by config.Wiring, never read by them");

    @ArchTest
    static final ArchRule everyPackageHasAPlace = classes().should()
            .resideInAnyPackage(packages(LEVELS.stream().flatMap(List::stream).toArray(String[]::new)))
            .because("every package must have a place in LEVELS");

    private static LayeredArchitecture layered() {
        LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true);
        for (List<String> level : LEVELS) {
            for (String name : level) {
                architecture = architecture.layer(name).definedBy(ROOT + "." + name + "..");
            }
        }
        for (int i = 0; i < LEVELS.size(); i++) {
            String[] above = LEVELS.subList(0, i).stream().flatMap(List::stream).toArray(String[]::new);
            for (String name : LEVELS.get(i)) {
                architecture = above.length == 0 ? architecture.whereLayer(name).mayNotBeAccessedByAnyLayer()
                        : architecture.whereLayer(name).mayOnlyBeAccessedByLayers(above);
            }
        }
        return architecture;
    }

    private static String[] packages(String... names) {
        return Stream.of(names).map(name -> ROOT + "." + name + "..").toArray(String[]::new);
    }
}
