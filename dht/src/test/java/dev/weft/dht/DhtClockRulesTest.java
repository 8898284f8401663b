package dev.weft.dht;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import dev.weft.p2p.arch.ArchRules;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The DHT reads time and randomness only through what it is given ({@code WallClock},
 * the host's scheduler, a seeded random), and reaches the host only through the public api.
 */
class DhtClockRulesTest {
  @Test
  void dhtCodeReadsNoRealTime() {
    classes().should(ArchRules.readNoRealTimeNorUnseededRandom(Set.of("dev.weft.dht.WallClock"))).check(DhtPackagesTest.MAIN);
  }

  @Test
  void theDhtUsesTheHostOnlyThroughTheApi() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.weft.p2p.host..", "dev.weft.p2p.transport..",
        "dev.weft.p2p.yamux..", "dev.weft.p2p.noise..", "dev.weft.p2p.upgrade..").check(DhtPackagesTest.MAIN);
  }
}
