package dev.weft.cli.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The modules depend on each other one way, lower to higher: p2p; dht, crdt-state and
 * aggregation on top of it (aggregation on nothing of ours); node on those; cli on everything.
 * Maven already refuses what is not declared; this also catches a module declaring a dependency it
 * must not have, which the build would happily accept. Run here because only cli sees them all.
 */
class ModuleLayeringTest {
  static final JavaClasses ALL = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.weft");

  @Test void p2pKnowsNothingAboveIt() {
    noClasses().that().resideInAPackage("dev.weft.p2p..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.weft.dht..", "dev.weft.crdt..", "dev.weft.aggregation..", "dev.weft.node..", "dev.weft.cli..")
        .check(ALL);
  }

  @Test void theMiddleModulesKnowNeitherEachOtherNorTheNode() {
    noClasses().that().resideInAPackage("dev.weft.dht..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.weft.crdt..", "dev.weft.aggregation..", "dev.weft.node..", "dev.weft.cli..").check(ALL);
    noClasses().that().resideInAPackage("dev.weft.crdt..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.weft.dht..", "dev.weft.aggregation..", "dev.weft.node..", "dev.weft.cli..").check(ALL);
    noClasses().that().resideInAPackage("dev.weft.aggregation..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.weft.p2p..", "dev.weft.dht..", "dev.weft.crdt..", "dev.weft.node..", "dev.weft.cli..").check(ALL);
  }

  @Test void theNodeKnowsNotTheCommandLine() {
    noClasses().that().resideInAPackage("dev.weft.node..").should().dependOnClassesThat().resideInAPackage("dev.weft.cli..").check(ALL);
  }
}
