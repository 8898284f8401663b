package dev.weft.p2p.nat.mapping;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The namespace router running Debian's miniupnpd (natbed-up.sh / natbed-down.sh): what the
 * NAT-PMP and UPnP tests share. Needs root, ip, nft and miniupnpd.
 */
public final class MiniupnpdBed {
  public static final String NEEDS = "needs root, ip, nft and miniupnpd (apt-get install iproute2 nftables miniupnpd)";

  private MiniupnpdBed() {}

  /** Whether this machine can build the bed. */
  public static boolean available() {
    return "root".equals(System.getProperty("user.name")) && has("ip") && has("nft") && has("miniupnpd");
  }

  static boolean has(String tool) {
    for (String p : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) if (Files.isExecutable(Path.of(p, tool))) return true;
    return Files.isExecutable(Path.of("/usr/sbin", tool));
  }

  /** Runs one of the bed's scripts with {@code args}; returns its exit status (its output goes to stderr on failure). */
  public static int sh(Path dir, String script, String... args) throws Exception {
    Path f = dir.resolve(script);
    try (InputStream in = MiniupnpdBed.class.getResourceAsStream(script)) {
      Files.write(f, in.readAllBytes());
    }
    String[] cmd = new String[args.length + 2];
    cmd[0] = "sh";
    cmd[1] = f.toString();
    System.arraycopy(args, 0, cmd, 2, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
    if (p.exitValue() != 0) System.err.println(script + ": " + out);
    return p.exitValue();
  }

  /** From the "internet" namespace: connects to host:port and sends a line; the output contains "sent" if it got through. */
  public static String fromInternet(String host, int port, String line) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", "wni", "timeout", "5", "bash", "-c",
        "exec 3<>/dev/tcp/" + host + "/" + port + " && echo " + line + " >&3 && echo sent").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }
}
