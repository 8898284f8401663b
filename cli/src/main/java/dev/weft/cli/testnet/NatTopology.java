package dev.weft.cli.testnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The network of {@code weft testnet --topology nat|nat-mixed}: an "internet" and one home per
 * volunteer, each a set of Linux network namespaces made for this testnet and removed after it.
 *
 * <pre>
 *   PUB: bridge br0  11.22.33.10 bootstrap (DHT, relay, AutoNAT server), 11.22.33.11 coordinator
 *     |-- veth -- R{i}: wan 11.22.33.(20+i) | lan 10.(i/200).(i%200).1 -- veth -- H{i}: .2 (node-i)
 *     '-- veth -- H{j}: 11.22.33.(20+j) (a volunteer with a public address, nat-mixed only)
 * </pre>
 *
 * A home router masquerades its LAN behind its WAN address and, like most home routers, drops
 * unsolicited inbound connections. {@link Home#CONE}: Linux keeps the source port when it is free,
 * an endpoint-independent mapping that TCP hole punching gets through. {@link Home#SYMMETRIC}:
 * {@code --random-fully}, a random port per connection, which no punch predicts: such a node is
 * reached through a relay. No route leaves the namespaces: 11.22.33.0/24 exists only inside them,
 * and this process (in the machine's own namespace) reaches none of it — every weft process of
 * the testnet runs inside one, started through {@code ip netns exec}.
 *
 * <p>Namespace and interface names carry a random prefix, so two testnets (or a test bed of
 * p2p's) on one machine do not meet; {@link #close} kills whatever still runs inside and removes
 * every namespace (their veths go with them), and a shutdown hook does the same on Ctrl-C.
 */
final class NatTopology implements AutoCloseable {
  static final String BOOTSTRAP_IP = "11.22.33.10";
  static final String COORDINATOR_IP = "11.22.33.11";
  /** The port every weft process listens on: each has an address of its own. */
  static final int PORT = 4001;
  /** Homes at most: WAN addresses 11.22.33.20 to .219. */
  static final int MAX_HOMES = 200;
  private static final long SCRIPT_SECONDS = 120;

  /** Where a volunteer sits. */
  enum Home {
    CONE("behind its own home router doing port-preserving NAT (endpoint-independent: \"cone\")"),
    SYMMETRIC("behind its own home router picking a random port per connection (endpoint-dependent: \"symmetric\")"),
    PUBLIC("on a public address, no NAT");

    final String description;

    Home(String description) {
      this.description = description;
    }
  }

  /** {@code --topology}: where the volunteers sit. */
  enum Kind {
    LOOPBACK, NAT, NAT_MIXED;

    static Kind parse(String s) {
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "loopback" -> LOOPBACK;
        case "nat" -> NAT;
        case "nat-mixed" -> NAT_MIXED;
        default -> throw new IllegalArgumentException("--topology must be loopback, nat or nat-mixed, not '" + s + "'");
      };
    }

    /** node-i's home: every one behind a cone NAT, or (mixed) cone, symmetric, public in turn. */
    Home home(int node) {
      return switch (this) {
        case LOOPBACK -> Home.PUBLIC;
        case NAT -> Home.CONE;
        case NAT_MIXED -> switch (node % 3) {
          case 0 -> Home.CONE;
          case 1 -> Home.SYMMETRIC;
          default -> Home.PUBLIC;
        };
      };
    }

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final String prefix;
  private final Kind kind;
  private final int homes;
  private final Path logs;
  private final Thread hook;
  private boolean closed;

  private NatTopology(String prefix, Kind kind, int homes, Path logs) {
    this.prefix = prefix;
    this.kind = kind;
    this.homes = homes;
    this.logs = logs;
    this.hook = new Thread(this::down, "weft-testnet-netns-down");
  }

  /** Why this machine cannot build the namespaces (null: it can). */
  static String unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) return "--topology nat needs root (network namespaces and iptables); run as root or use --topology loopback";
    for (String tool : List.of("ip", "iptables")) {
      if (!onPath(tool)) return "--topology nat needs " + tool + " (apt-get install iproute2 iptables)";
    }
    return null;
  }

  private static boolean onPath(String tool) {
    for (String p : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
      if (!p.isEmpty() && Files.isExecutable(Path.of(p, tool))) return true;
    }
    return false;
  }

  /** Builds the internet and {@code homes} homes; the script and its output go to {@code logs}. */
  static NatTopology up(Kind kind, int homes, Path logs) throws IOException, InterruptedException {
    if (kind == Kind.LOOPBACK) throw new IllegalArgumentException("loopback needs no namespaces");
    if (homes < 1 || homes > MAX_HOMES) throw new IllegalArgumentException("--topology " + kind.label() + " holds 1 to " + MAX_HOMES + " volunteers, not " + homes);
    String prefix = String.format(Locale.ROOT, "wt%04x", ThreadLocalRandom.current().nextInt(0x10000));
    NatTopology t = new NatTopology(prefix, kind, homes, logs);
    Runtime.getRuntime().addShutdownHook(t.hook);
    try {
      t.sh("topology-up", t.upScript());
    } catch (IOException | RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  Kind kind() {
    return kind;
  }

  Home home(int node) {
    return kind.home(node);
  }

  String publicNamespace() {
    return prefix + "pub";
  }

  String hostNamespace(int node) {
    return prefix + "h" + node;
  }

  private String routerNamespace(int node) {
    return prefix + "r" + node;
  }

  /** The address node-i listens on: its LAN address behind a router, or its public one. */
  String hostIp(int node) {
    return home(node) == Home.PUBLIC ? wanIp(node) : lanPrefix(node) + ".2";
  }

  /** The address the internet sees node-i at: its router's WAN side, or its own. */
  String wanIp(int node) {
    return "11.22.33." + (20 + node);
  }

  private static String lanPrefix(int node) {
    return "10." + (node / 200) + "." + (node % 200);
  }

  /** The command prefix that runs a program inside {@code namespace}. */
  static List<String> exec(String namespace) {
    return List.of("ip", "netns", "exec", namespace);
  }

  /** One line for the report: where node-i sits. */
  String describe(int node) {
    Home h = home(node);
    return h == Home.PUBLIC ? "on public address " + wanIp(node) : h.description + ", LAN " + hostIp(node) + ", WAN " + wanIp(node);
  }

  private String upScript() {
    StringBuilder s = new StringBuilder("set -e\n");
    String pub = publicNamespace();
    s.append("ip netns add ").append(pub).append('\n');
    s.append("ip -n ").append(pub).append(" link set lo up\n");
    s.append("ip -n ").append(pub).append(" link add br0 type bridge\n");
    s.append("ip -n ").append(pub).append(" addr add ").append(BOOTSTRAP_IP).append("/24 dev br0\n");
    s.append("ip -n ").append(pub).append(" addr add ").append(COORDINATOR_IP).append("/24 dev br0\n");
    s.append("ip -n ").append(pub).append(" link set br0 up\n");
    for (int i = 0; i < homes; i++) {
      String h = hostNamespace(i), r = routerNamespace(i);
      String up = prefix + "u" + i, down = prefix + "d" + i; // temporary names in this namespace: unique per testnet
      s.append("ip netns add ").append(h).append("\nip -n ").append(h).append(" link set lo up\n");
      s.append("ip link add ").append(up).append(" type veth peer name ").append(down).append('\n');
      s.append("ip link set ").append(down).append(" netns ").append(pub).append('\n');
      s.append("ip -n ").append(pub).append(" link set ").append(down).append(" master br0\n");
      s.append("ip -n ").append(pub).append(" link set ").append(down).append(" up\n");
      if (home(i) == Home.PUBLIC) {
        moveIn(s, up, h, "eth0", wanIp(i));
        continue;
      }
      String lanUp = prefix + "l" + i, lanDown = prefix + "m" + i;
      s.append("ip netns add ").append(r).append("\nip -n ").append(r).append(" link set lo up\n");
      moveIn(s, up, r, "wan", wanIp(i));
      s.append("ip link add ").append(lanUp).append(" type veth peer name ").append(lanDown).append('\n');
      moveIn(s, lanUp, r, "lan", lanPrefix(i) + ".1");
      moveIn(s, lanDown, h, "eth0", hostIp(i));
      s.append("ip -n ").append(h).append(" route add default via ").append(lanPrefix(i)).append(".1\n");
      String x = "ip netns exec " + r + " ";
      s.append(x).append("sysctl -qw net.ipv4.ip_forward=1\n");
      s.append(x).append("iptables -t nat -A POSTROUTING -o wan -j MASQUERADE").append(home(i) == Home.SYMMETRIC ? " --random-fully" : "").append('\n');
      s.append(x).append("iptables -A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n");
      s.append(x).append("iptables -A INPUT -i wan -j DROP\n");
      s.append(x).append("iptables -A FORWARD -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n");
      s.append(x).append("iptables -A FORWARD -i wan -j DROP\n");
    }
    // Every home reaches the bootstrap's address before any weft process starts (a fresh bridge may take a moment).
    s.append("if command -v ping >/dev/null 2>&1; then\n");
    for (int i = 0; i < homes; i++) {
      s.append("  ok=0; for t in $(seq 1 50); do ip netns exec ").append(hostNamespace(i)).append(" ping -c1 -W1 ").append(BOOTSTRAP_IP)
          .append(" >/dev/null 2>&1 && { ok=1; break; }; sleep 0.1; done; [ $ok = 1 ] || { echo 'home ").append(i).append(" cannot reach ")
          .append(BOOTSTRAP_IP).append("' >&2; exit 1; }\n");
    }
    s.append("fi\n");
    return s.toString();
  }

  /** Moves veth end {@code iface} into {@code ns} as {@code name} with {@code ip}/24, up. */
  private static void moveIn(StringBuilder s, String iface, String ns, String name, String ip) {
    s.append("ip link set ").append(iface).append(" netns ").append(ns).append('\n');
    s.append("ip -n ").append(ns).append(" link set ").append(iface).append(" name ").append(name).append('\n');
    s.append("ip -n ").append(ns).append(" addr add ").append(ip).append("/24 dev ").append(name).append('\n');
    s.append("ip -n ").append(ns).append(" link set ").append(name).append(" up\n");
  }

  private void sh(String name, String script) throws IOException, InterruptedException {
    Files.createDirectories(logs);
    Path f = logs.resolve(prefix + "-" + name + ".sh");
    Files.writeString(f, script);
    Path log = logs.resolve(prefix + "-" + name + ".log");
    Process p = new ProcessBuilder("sh", f.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(SCRIPT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(name + " did not finish in " + SCRIPT_SECONDS + " s; see " + log);
    }
    if (p.exitValue() != 0) {
      String tail = Files.readString(log).strip();
      throw new IOException(name + " failed (exit " + p.exitValue() + "): " + tail.substring(Math.max(0, tail.length() - 400)) + "; see " + f);
    }
  }

  private String downScript() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < homes; i++) {
      all.add(hostNamespace(i));
      if (home(i) != Home.PUBLIC) all.add(routerNamespace(i));
    }
    all.add(publicNamespace());
    StringBuilder s = new StringBuilder();
    // A process still inside keeps its namespace's network alive after `ip netns del`: kill them first.
    s.append("for ns in ").append(String.join(" ", all)).append("; do\n")
        .append("  [ -e /var/run/netns/$ns ] || continue\n")
        .append("  for pid in $(ip netns pids $ns 2>/dev/null); do kill -9 $pid 2>/dev/null; done\n")
        .append("  ip netns del $ns 2>/dev/null || true\n")
        .append("done\n");
    return s.toString();
  }

  private synchronized void down() {
    if (closed) return;
    closed = true;
    try {
      sh("topology-down", downScript());
    } catch (IOException e) {
      System.err.println("weft testnet: could not remove the namespaces " + prefix + "*: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override public void close() {
    down();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs down() itself
    }
  }
}
