package dev.weft.dht.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@link DhtFloodBench} in a fresh JVM with a stated heap, pre-touched so that the idle RSS
 * already includes it and the growth is what the flood makes the process hold (the heap retained
 * after a full GC is printed separately), once per store, only when asked:
 * {@code ./mvnw -B -ntp -q -pl dht -am test -Dtest=DhtFloodBenchRunner -Dsurefire.failIfNoSpecifiedTests=false -Ddht.floodbench=true}
 * (optional {@code -Ddht.floodbench.puts=10000 -Ddht.floodbench.adds=200000 -Ddht.floodbench.heap=128m});
 * numbers in {@code dht/target/surefire-reports/dev.weft.dht.bench.DhtFloodBenchRunner-output.txt}.
 */
class DhtFloodBenchRunner {
  @Test
  @EnabledIfSystemProperty(named = "dht.floodbench", matches = "true")
  void bench() throws Exception {
    String heap = System.getProperty("dht.floodbench.heap", "128m");
    for (String kind : System.getProperty("dht.floodbench.stores", "memory,rocks").split(",")) {
      List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
          "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
          DhtFloodBench.class.getName(), kind, System.getProperty("dht.floodbench.puts", "10000"), System.getProperty("dht.floodbench.adds", "200000")));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
        for (String line; (line = out.readLine()) != null; ) System.out.println(line);
      }
      if (p.waitFor() != 0) throw new AssertionError("flood bench (" + kind + ") exited with " + p.exitValue());
    }
  }
}
