package dev.weft.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * NAT traversal behind real NATs: network namespaces (travbed-up.sh) with a relay R on an
 * "internet" and hosts A and B each behind its own Linux router doing iptables MASQUERADE, every
 * host a JVM of its own ({@link NatBedPeer}) inside its namespace.
 *
 * <ul>
 *   <li>Two cone NATs: A and B reserve on R; B dials A through R (a limited connection); DCUtR
 *       punches through both NATs (TCP simultaneous open from the listen ports) and the relayed
 *       connection closes — {@value #PAIRS} pairs in a row, each timed. AutoNAT says A is
 *       private and R public, and the doctor's advice names a cone NAT.
 *   <li>The same cone NATs with the TCP transport's port reuse off: dials leave from ephemeral
 *       ports, no mapping matches the addresses exchanged, and the punch fails — port reuse is
 *       what makes it work.
 *   <li>A symmetric NAT in front of A (a random port per connection): the punch fails after the
 *       spec's three attempts, A and B stay connected through R, and the doctor's advice names a
 *       symmetric NAT.
 * </ul>
 *
 * Needs root, ip and iptables; skips with a message otherwise. Every wait is bounded, and the
 * namespaces go in {@link #down}, whatever happened.
 */
@Timeout(300)
class NatTraversalIT {
  static final int PAIRS = 10;
  static final String R = "11.22.33.10";
  static final String NAT_A = "11.22.33.1";
  static final String NAT_B = "11.22.33.2";

  @TempDir Path dir;
  final List<Bed> processes = new ArrayList<>();
  boolean up;

  static boolean has(String tool) {
    for (String p : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) if (Files.isExecutable(Path.of(p, tool))) return true;
    return Files.isExecutable(Path.of("/usr/sbin", tool));
  }

  @BeforeAll static void canBuildABed() {
    boolean root = "root".equals(System.getProperty("user.name"));
    assumeTrue(root && has("ip") && has("iptables"),
        "NAT traversal bed skipped: needs root, ip and iptables (apt-get install iproute2 iptables)");
  }

  int sh(String script, String... args) throws Exception {
    Path f = dir.resolve(script);
    try (InputStream in = NatTraversalIT.class.getResourceAsStream(script)) {
      Files.write(f, in.readAllBytes());
    }
    List<String> cmd = new ArrayList<>(List.of("sh", f.toString()));
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(script + ".log").toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(script + " did not finish in 30 s");
    }
    if (p.exitValue() != 0) System.err.println(script + ": " + Files.readString(dir.resolve(script + ".log")));
    return p.exitValue();
  }

  void bed(String symmetricSide) throws Exception {
    sh("travbed-down.sh");
    up = true;
    assertThat(sh("travbed-up.sh", symmetricSide)).as("travbed-up.sh " + symmetricSide).isZero();
  }

  @AfterEach void down() throws Exception {
    for (Bed p : processes) p.stop();
    if (up) sh("travbed-down.sh");
  }

  /** One NatBedPeer process inside a namespace. */
  final class Bed {
    final String name;
    final Process process;
    final PrintStream in;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> ids;
    final Path log;

    Bed(String ns, String role, long seed, String ip, int port, int count, String relay) throws Exception {
      name = ns;
      log = dir.resolve(ns + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
          "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-cp", cp, NatBedPeer.class.getName(),
          role, Long.toString(seed), ip, Integer.toString(port), Integer.toString(count)));
      if (relay != null) cmd.add(relay);
      process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
      processes.add(this);
      in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
      Thread.ofVirtual().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null; ) lines.add(l);
        } catch (IOException e) {
          // the process ended
        }
      });
      String ready = next(60);
      assertThat(ready).as(ns + " started (log: " + tail() + ")").startsWith("READY");
      ids = List.of(ready.substring("READY ".length()).split(" "));
    }

    String next(long seconds) throws Exception {
      String l = lines.poll(seconds, TimeUnit.SECONDS);
      if (l == null) throw new AssertionError(name + " did not answer within " + seconds + " s; log: " + tail());
      return l;
    }

    /** Sends {@code command} to host {@code i}; its answer. */
    String ask(int i, String command) throws Exception {
      in.println(i + " " + command);
      return next(60);
    }

    /** Asks until the answer satisfies {@code ok}, for at most {@code seconds}; the last answer. */
    String await(int i, String command, Predicate<String> ok, long seconds, String what) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      String last;
      do {
        last = ask(i, command);
        if (ok.test(last)) return last;
        Thread.sleep(50);
      } while (System.nanoTime() < deadline);
      throw new AssertionError(name + "[" + i + "]: timed out waiting for " + what + "; last answer: " + last + "; log: " + tail());
    }

    String addr(int i, String ip, int port) {
      return "/ip4/" + ip + "/tcp/" + port + "/p2p/" + ids.get(i);
    }

    String tail() {
      try {
        String s = Files.exists(log) ? Files.readString(log) : "";
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
      } catch (IOException e) {
        return "(unreadable)";
      }
    }

    void stop() throws Exception {
      if (process.isAlive()) {
        in.println("quit");
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  static String field(String answer, String key) {
    for (String part : answer.split(" ")) if (part.startsWith(key + "=")) return part.substring(key.length() + 1);
    throw new AssertionError("no " + key + " in " + answer);
  }

  static long percentile(List<Long> sorted, double p) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
  }

  @Test void behindTwoConeNatsEveryRelayedConnectionBecomesDirectAndAutonatSaysPrivate() throws Exception {
    bed("none");
    Bed r = new Bed("wtpub", "relay", 100, R, 4001, 2, null);
    String relay = r.addr(0, R, 4001);
    Bed a = new Bed("wta", "peer", 1, "0.0.0.0", 4001, PAIRS, relay);
    Bed b = new Bed("wtb", "peer", 201, "0.0.0.0", 4001, PAIRS, relay);
    for (int i = 0; i < PAIRS; i++) {
      a.await(i, "reserved", "OK 1"::equals, 30, "A" + i + "'s reservation");
      b.await(i, "reserved", "OK 1"::equals, 30, "B" + i + "'s reservation");
    }
    // R saw A from A's listen port: the masquerade kept it, and the dial left from it.
    assertThat(a.ask(0, "observed")).contains("/ip4/" + NAT_A + "/tcp/4001(");

    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < PAIRS; i++) {
      String aId = a.ids.get(i);
      String circuit = relay + "/p2p-circuit/p2p/" + aId;
      String punched = b.ask(i, "punch " + circuit + " 20000");
      assertThat(punched).as("pair " + i).startsWith("OK limited=true");
      long ms = Long.parseLong(field(punched, "direct_ms"));
      assertThat(ms).as("pair %d went direct: %s; A: %s", i, punched, a.ask(i, "dcutr")).isNotNegative();
      millis.add(ms);
      // B reaches A at A's router's public address and A's own listen port: a hole, not a relay.
      assertThat(field(punched, "at")).isEqualTo("/ip4/" + NAT_A + "/tcp/" + (4001 + i));
      String outcome = a.await(i, "dcutr", s -> s.length() > 3, 20, "A" + i + "'s DCUtR outcome");
      assertThat(outcome).as("A%d (the DCUtR initiator)", i).startsWith("OK true,");
      a.await(i, "conns " + b.ids.get(i), s -> s.contains("direct=1 limited=0"), 20, "A" + i + " to close the relayed connection");
      String atB = b.await(i, "conns " + aId, s -> s.contains("direct=1 limited=0"), 20, "B" + i + " to close the relayed connection");
      assertThat(field(atB, "at")).isEqualTo("/ip4/" + NAT_A + "/tcp/" + (4001 + i));
      assertThat(a.ask(i, "conns " + b.ids.get(i))).contains("at=/ip4/" + NAT_B + "/tcp/" + (4001 + i));
      assertThat(b.ask(i, "ping " + aId)).as("ping over the direct connection").startsWith("OK").endsWith("limited=false");
    }
    r.await(0, "circuits", "OK 0"::equals, 20, "the relay's circuits to end");

    List<Long> sorted = millis.stream().sorted().toList();
    System.out.printf("NAT traversal, two cone NATs: %d/%d direct; relayed -> direct p50 %d ms, p95 %d ms, max %d ms (%s)%n",
        millis.size(), PAIRS, percentile(sorted, 0.5), percentile(sorted, 0.95), sorted.get(sorted.size() - 1), millis);

    // AutoNAT: R and R2 cannot dial A back through its NAT (and both saw A's port 4001 as 4001);
    // R2 can dial R.
    String atA = a.ask(0, "natcheck " + relay + " " + r.addr(1, R, 4002));
    assertThat(atA).as(atA).startsWith("OK reachability=PRIVATE").contains("(cone NAT)");
    String atR = r.ask(0, "natcheck " + r.addr(1, R, 4002));
    assertThat(atR).as(atR).startsWith("OK reachability=PUBLIC");
    System.out.println("weft doctor behind the cone NAT: " + atA);
  }

  @Test void withoutPortReuseTheSameConeNatsDefeatHolePunching() throws Exception {
    bed("none");
    Bed r = new Bed("wtpub", "relay", 100, R, 4001, 1, null);
    String relay = r.addr(0, R, 4001);
    Bed a = new Bed("wta", "peer-noreuse", 1, "0.0.0.0", 4001, 1, relay);
    Bed b = new Bed("wtb", "peer-noreuse", 201, "0.0.0.0", 4001, 1, relay);
    a.await(0, "reserved", "OK 1"::equals, 30, "A's reservation");
    b.await(0, "reserved", "OK 1"::equals, 30, "B's reservation");
    // Dials leave from ephemeral ports, so what R sees is no port anyone could dial A at.
    assertThat(a.ask(0, "observed")).doesNotContain("/ip4/" + NAT_A + "/tcp/4001(");
    String aId = a.ids.get(0);
    assertThat(b.ask(0, "punch " + relay + "/p2p-circuit/p2p/" + aId + " 1000")).startsWith("OK limited=true");
    String outcome = a.await(0, "dcutr", s -> s.length() > 3, 60, "A's DCUtR outcome");
    assertThat(outcome).as(outcome).startsWith("OK false,3,");
    assertThat(b.ask(0, "conns " + aId)).contains("direct=0 limited=1");
  }

  @Test void behindASymmetricNatHolePunchingFailsAndThePeersStayOnTheRelay() throws Exception {
    bed("a");
    Bed r = new Bed("wtpub", "relay", 100, R, 4001, 2, null);
    String relay = r.addr(0, R, 4001);
    Bed a = new Bed("wta", "peer", 1, "0.0.0.0", 4001, 1, relay);
    Bed b = new Bed("wtb", "peer", 201, "0.0.0.0", 4001, 1, relay);
    a.await(0, "reserved", "OK 1"::equals, 30, "A's reservation");
    b.await(0, "reserved", "OK 1"::equals, 30, "B's reservation");
    // A's router gave the connection to R a random port, not A's listen port.
    String observed = a.ask(0, "observed");
    assertThat(observed).contains("/ip4/" + NAT_A + "/tcp/").doesNotContain("/ip4/" + NAT_A + "/tcp/4001(");

    String aId = a.ids.get(0);
    String punched = b.ask(0, "punch " + relay + "/p2p-circuit/p2p/" + aId + " 1000");
    assertThat(punched).startsWith("OK limited=true");
    String outcome = a.await(0, "dcutr", s -> s.length() > 3, 60, "A's DCUtR outcome");
    assertThat(outcome).as(outcome).startsWith("OK false,3,");
    assertThat(b.ask(0, "conns " + aId)).contains("direct=0 limited=1");
    assertThat(a.ask(0, "conns " + b.ids.get(0))).contains("direct=0 limited=1");
    assertThat(b.ask(0, "ping " + aId)).as("still connected, through the relay").startsWith("OK").endsWith("limited=true");
    assertThat(r.ask(0, "circuits")).isEqualTo("OK 1");
    // Two observers saw A's port 4001 at two public ports: weft doctor says why the relay stays.
    String atA = a.ask(0, "natcheck " + relay + " " + r.addr(1, R, 4002));
    assertThat(atA).as(atA).startsWith("OK reachability=PRIVATE").contains("maps ports per destination (symmetric NAT)")
        .contains("forward TCP port 4001 ");
    System.out.println("NAT traversal, symmetric NAT at A: " + outcome + "; observed " + observed);
    System.out.println("weft doctor behind the symmetric NAT: " + atA);
  }
}
