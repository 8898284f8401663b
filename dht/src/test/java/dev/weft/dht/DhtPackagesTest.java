package dev.weft.dht;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The DHT's packages depend on each other one way only: no cycle between the root package
 * (the node) and {@code lookup}, {@code routing}, {@code codec}, {@code store}, {@code record},
 * {@code host}; {@code keyspace} is the leaf they all share.
 */
class DhtPackagesTest {
  static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.weft.dht");

  /** One slice per package under dev.weft.dht, the root package included. */
  static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
    @Override public SliceIdentifier getIdentifierOf(JavaClass c) {
      String p = c.getPackageName();
      if (!p.startsWith("dev.weft.dht")) return SliceIdentifier.ignore();
      return SliceIdentifier.of(p.equals("dev.weft.dht") ? "dht (root)" : p.substring("dev.weft.dht.".length()));
    }

    @Override public String getDescription() {
      return "packages of dev.weft.dht";
    }
  };

  @Test
  void packagesAreFreeOfCycles() {
    slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void theKeyspaceDependsOnNoOtherDhtPackage() {
    noClasses().that().resideInAPackage("dev.weft.dht.keyspace").should().dependOnClassesThat()
        .resideInAnyPackage("dev.weft.dht", "dev.weft.dht.lookup..", "dev.weft.dht.routing..", "dev.weft.dht.codec..", "dev.weft.dht.store..",
            "dev.weft.dht.record..", "dev.weft.dht.host..")
        .check(MAIN);
  }
}
