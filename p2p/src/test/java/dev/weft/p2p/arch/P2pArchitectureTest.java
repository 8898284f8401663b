package dev.weft.p2p.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.arch.fixture.RealTimeReader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shape of the p2p module: packages depend on each other one way, services see only the
 * public api, and protocol code reads time and randomness only through what it is given.
 */
class P2pArchitectureTest {
  static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.weft.p2p");

  /** The clock implementations: the only classes that may read real time. */
  static final Set<String> CLOCKS = Set.of("dev.weft.p2p.time.SystemScheduler", "dev.weft.p2p.time.NanoClock", "dev.weft.p2p.time.WallClock");

  @Test void packagesAreFreeOfCycles() {
    slices().assignedFrom(ArchRules.byPackage("dev.weft.p2p")).should().beFreeOfCycles()
        // Known, not yet broken: a multiaddr's /p2p/ component is a PeerId, and PeerId's text
        // forms are multiformats. Breaking it means moving PeerId (135 importing files): a
        // coordinated change for a quiet moment, see docs/p2p.md.
        .ignoreDependency(JavaClass.Predicates.resideInAPackage("dev.weft.p2p.multiformats"), JavaClass.Predicates.equivalentTo(PeerId.class))
        .check(MAIN);
  }

  @Test void servicesSeeTheApiNotTheHostNorTheTransports() {
    noClasses().that().resideInAnyPackage("dev.weft.p2p.protocol..", "dev.weft.p2p.pubsub..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.weft.p2p.host..", "dev.weft.p2p.transport..",
            "dev.weft.p2p.yamux..", "dev.weft.p2p.noise..", "dev.weft.p2p.upgrade..")
        .check(MAIN);
  }

  @Test void theApiDependsOnNoImplementation() {
    noClasses().that().resideInAPackage("dev.weft.p2p.api..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.weft.p2p.host..", "dev.weft.p2p.transport..",
            "dev.weft.p2p.yamux..", "dev.weft.p2p.noise..", "dev.weft.p2p.multistream..", "dev.weft.p2p.protocol..",
            "dev.weft.p2p.pubsub..", "dev.weft.p2p.upgrade..")
        .check(MAIN);
  }

  @Test void onlyTheHostBuilderKnowsTheBuiltInServices() {
    classes().that().resideInAPackage("dev.weft.p2p.protocol..").should().onlyHaveDependentClassesThat()
        .resideInAnyPackage("dev.weft.p2p.protocol..", "dev.weft.p2p.host..")
        .check(MAIN);
  }

  @Test void protocolCodeReadsNoRealTime() {
    classes().should(ArchRules.readNoRealTimeNorUnseededRandom(CLOCKS)).check(MAIN);
  }

  /** The rule above is not vacuous: on a class that breaks it, it reports every way it does. */
  @Test void theClockRuleCatchesEachViolation() {
    JavaClasses bad = new ClassFileImporter().importClasses(RealTimeReader.class);
    ArchRule rule = classes().should(ArchRules.readNoRealTimeNorUnseededRandom(Set.of()));
    EvaluationResult result = rule.evaluate(bad);
    assertThat(result.hasViolation()).isTrue();
    String report = String.join("\n", result.getFailureReport().getDetails());
    assertThat(report).contains("currentTimeMillis", "nanoTime", "sleep", "java.util.Random.<init>()");
    assertThat(result.getFailureReport().getDetails()).hasSize(4);
    assertThatThrownBy(() -> rule.check(bad)).isInstanceOf(AssertionError.class);
    assertThat(classes().should(ArchRules.readNoRealTimeNorUnseededRandom(Set.of(RealTimeReader.class.getName())))
        .evaluate(bad).hasViolation()).as("allow-listed").isFalse();
  }
}
