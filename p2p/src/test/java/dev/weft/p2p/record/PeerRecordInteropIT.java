package dev.weft.p2p.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Signed peer records both ways with js-libp2p's {@code @libp2p/peer-record}: js opens and
 * certifies ours (and refuses a tampered copy), we open js's. Skipped only without Node.js.
 */
class PeerRecordInteropIT {
  private static final List<Multiaddr> ADDRS = List.of(Multiaddr.parse("/ip4/192.0.2.7/tcp/4001"), Multiaddr.parse("/ip6/2001:db8::7/tcp/4002"));

  @Test
  @org.junit.jupiter.api.Timeout(180) // a node that hangs must fail the test, not stall the suite
  void recordsCrossBothWays() throws Exception {
    Path dir = interopDir();
    Assumptions.assumeTrue(nodeAvailable() && Files.isDirectory(dir.resolve("node_modules/@libp2p/peer-record")),
        "node or interop/js/node_modules missing: peer record interop skipped");
    PrivKey ours = Ed25519.fromSeedNumber(11);
    byte[] wire = new PeerRecord(PeerId.fromPublicKey(ours.publicKey()), 42, ADDRS).sign(ours).encode();
    byte[] tampered = wire.clone();
    tampered[tampered.length - 1] ^= 1; // the last byte is inside the signature
    String script;
    try (InputStream in = PeerRecordInteropIT.class.getResourceAsStream("peer-record-oracle.mjs")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String req = "{\"ours\":\"" + HexFormat.of().formatHex(wire) + "\",\"tampered\":\"" + HexFormat.of().formatHex(tampered)
        + "\",\"seed\":\"12\",\"seq\":\"77\",\"addrs\":" + ADDRS.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(",", "[", "]")) + "}";
    Map<String, Map<String, String>> js = parse(run(dir, "node", "--input-type=module", "-e", script, req));

    assertThat(js.get("ours").get("ok")).as(js.get("ours").toString()).isEqualTo("true");
    assertThat(js.get("ours").get("peerId")).isEqualTo(PeerId.fromPublicKey(ours.publicKey()).toBase58());
    assertThat(js.get("ours").get("seq")).isEqualTo("42");
    assertThat(js.get("ours").get("addrs")).isEqualTo(ADDRS.stream().map(Multiaddr::toString).collect(Collectors.joining(",")));
    assertThat(js.get("tampered").get("ok")).isEqualTo("false");

    PeerRecord theirs = PeerRecord.open(HexFormat.of().parseHex(js.get("theirs").get("bytes")));
    assertThat(theirs.peerId()).isEqualTo(PeerId.fromPublicKey(Ed25519.fromSeedNumber(12).publicKey()));
    assertThat(theirs.seq()).isEqualTo(77);
    assertThat(theirs.addresses()).isEqualTo(ADDRS);
  }

  private static Map<String, Map<String, String>> parse(String out) {
    Map<String, Map<String, String>> byKind = new HashMap<>();
    for (String line : out.split("\n")) {
      if (line.isBlank() || !line.contains("|")) continue;
      String[] parts = line.split("\\|");
      Map<String, String> fields = new HashMap<>();
      for (int i = 1; i < parts.length; i++) {
        int eq = parts[i].indexOf('=');
        fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
      }
      byKind.put(parts[0], fields);
    }
    return byKind;
  }

  static Path interopDir() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("interop/js"))) p = p.getParent();
    return p == null ? Path.of("interop/js") : p.resolve("interop/js");
  }

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static String run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("node timed out");
    }
    String s = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) throw new AssertionError("node failed: " + s);
    return s;
  }
}
