package dev.weft.dht.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@link DhtBench} from Maven, only when asked:
 * {@code ./mvnw -q -Dweft.buildDir=target-dht -pl dht -am verify -Dtest=DhtBenchRunner -Dsurefire.failIfNoSpecifiedTests=false -Ddht.bench=true}
 * (numbers in dht/target-dht/surefire-reports/dev.weft.dht.bench.DhtBenchRunner-output.txt).
 */
class DhtBenchRunner {
  @Test
  @EnabledIfSystemProperty(named = "dht.bench", matches = "true")
  void bench() throws Exception {
    DhtBench.main(new String[] {System.getProperty("dht.bench.records", "100000")});
  }
}
