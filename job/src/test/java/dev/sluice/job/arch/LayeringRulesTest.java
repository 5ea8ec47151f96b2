package dev.sluice.job.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering the modules agree on, checked on every build so that drift fails a test instead of
 * reaching review.
 *
 * <p>The job module's tests see the main classes of every module but the benchmarks and the tools
 * (which depend on the job), so the rules live here. Maven's module graph already forbids some of
 * these imports (operators cannot see sinks); the rules keep them forbidden if a dependency is ever
 * added for another reason, and they check what Maven cannot: dependencies between packages of one
 * module.
 */
@AnalyzeClasses(packages = "dev.sluice", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringRulesTest {

    /** The record model and transforms compile against nothing of the delivery side. */
    @ArchTest
    static final ArchRule operatorsDoNotDependOnSinks =
            noClasses()
                    .that()
                    .resideInAPackage("dev.sluice.operators..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.sluice.sinks..", "dev.sluice.job..");

    /**
     * The warehouse package loads files and knows no Flink operator: the loader package drives it,
     * never the other way round.
     */
    @ArchTest
    static final ArchRule warehouseDoesNotDependOnTheLoader =
            noClasses()
                    .that()
                    .resideInAPackage("dev.sluice.sinks.warehouse..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("dev.sluice.sinks.loader..");

    /** Sinks are built from typed values; reading configuration is the job's business. */
    @ArchTest
    static final ArchRule sinksDoNotDependOnTheJob =
            noClasses()
                    .that()
                    .resideInAPackage("dev.sluice.sinks..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("dev.sluice.job..");

    /**
     * What goes into the job jar never reaches for the emulated stack: all of the job's production
     * code, since {@code ./sluice local} and the other commands live in the tools module. (The
     * job's own test support, {@code dev.sluice.job.local.LocalConfig}, is a test class and not
     * imported here.)
     */
    @ArchTest
    static final ArchRule theJobDoesNotDependOnTheLocalStack =
            noClasses()
                    .that()
                    .resideInAPackage("dev.sluice.job..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("dev.sluice.localstack..");

    /** Benchmarks measure the code; no code depends on them. */
    @ArchTest
    static final ArchRule nothingDependsOnTheBenchmarks =
            noClasses()
                    .that()
                    .resideOutsideOfPackage("dev.sluice.benchmarks..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("dev.sluice.benchmarks..");

    /**
     * Within the sinks, packages form layers: formats and prefixes below the error outputs, those
     * below the sink builders, all of them below the loader. A cycle means a type sits in the wrong
     * package.
     */
    @ArchTest
    static final ArchRule sinksPackagesAreFreeOfCycles =
            slices().matching("dev.sluice.sinks.(**)").should().beFreeOfCycles();
}
