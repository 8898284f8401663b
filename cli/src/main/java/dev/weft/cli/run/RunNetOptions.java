package dev.weft.cli.run;

import dev.weft.node.peer.PeerNode;
import dev.weft.p2p.crypto.KeyFiles;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.multiformats.Multiaddr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where a {@code weft run} command keeps its state and how it joins the network (a picocli mixin). */
public final class RunNetOptions {
  @Option(names = "--dir", paramLabel = "DIR", description = "State directory: identity.key, dht/, blobs/ (default ~/.weft).")
  Path dir;

  @Option(names = "--key", paramLabel = "FILE", description = "Identity key (the coordinator's, for publish); default DIR/identity.key, created if missing.")
  Path key;

  @Option(names = "--bootstrap", paramLabel = "MULTIADDR", split = ",", description = "A peer of the network, with /p2p/ (repeatable or comma-separated).")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--listen", paramLabel = "MULTIADDR", split = ",", description = "Address to listen on (default ${DEFAULT-VALUE}).",
      defaultValue = "/ip4/0.0.0.0/tcp/0")
  List<String> listen = new ArrayList<>(List.of("/ip4/0.0.0.0/tcp/0"));

  @Option(names = "--upload-limit", paramLabel = "KIB/S", defaultValue = "0",
      description = "Serve blobs to others at most this fast, in KiB/s (default 0: unlimited).")
  long uploadKibPerSecond;

  @Option(names = "--public-addrs-only", description = "Leave private and loopback addresses out of DHT answers (on the public internet).")
  boolean publicOnly;

  @Option(names = "--allow-cidr", paramLabel = "CIDR", split = ",", description = dev.weft.cli.common.AllowCidrs.DESCRIPTION,
      converter = dev.weft.cli.common.AllowCidrs.Converter.class)
  List<dev.weft.p2p.resource.AddressPrefix> allowCidr = new ArrayList<>();

  /** The command this mixin is part of (usage errors name it); null when built by hand in tests. */
  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE) picocli.CommandLine.Model.CommandSpec mixee;

  /** The host limits these options ask for (the default ones, with any --allow-cidr blocks). */
  dev.weft.p2p.resource.ResourceLimits hostLimits() {
    return dev.weft.cli.common.AllowCidrs.limits(mixee == null ? null : mixee.commandLine(), allowCidr);
  }

  Path dir() {
    return dir != null ? dir : Path.of(System.getProperty("user.home"), ".weft");
  }

  PrivKey key() throws IOException {
    if (key == null) return PeerNode.identity(dir());
    try {
      return KeyFiles.load(key);
    } catch (KeyFiles.KeyFileException e) {
      throw e;
    } catch (IOException e) {
      throw dev.weft.cli.common.Errors.file("read", "key", key, e);
    }
  }

  List<Multiaddr> bootstrap() {
    List<Multiaddr> out = new ArrayList<>();
    for (String b : bootstrap) {
      Multiaddr m;
      try {
        m = Multiaddr.parse(b);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad --bootstrap address " + b + ": " + e.getMessage());
      }
      if (m.components().stream().noneMatch(c -> c.name().equals("p2p"))) throw new IllegalArgumentException("--bootstrap " + b + " needs /p2p/<peer id>");
      out.add(m);
    }
    return out;
  }

  /** Starts a peer in {@code dir} (or in a fresh temporary directory when {@code ephemeral} and no --dir was given). */
  PeerNode start(boolean ephemeral) throws IOException {
    Path d = ephemeral && dir == null ? Files.createTempDirectory("weft-run-") : dir();
    List<Multiaddr> l = new ArrayList<>();
    for (String a : listen) {
      try {
        l.add(Multiaddr.parse(a));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad --listen address " + a + ": " + e.getMessage());
      }
    }
    if (uploadKibPerSecond < 0 || uploadKibPerSecond > (1L << 30)) throw new IllegalArgumentException("--upload-limit must be 0 (unlimited) or a positive KiB/s");
    dev.weft.p2p.resource.ResourceLimits limits = hostLimits(); // refuse a bad block before creating anything
    PeerNode.Config base = PeerNode.Config.loopback(d);
    PrivKey k = ephemeral && key == null && dir == null ? PeerNode.identity(d) : key();
    return PeerNode.start(k, new PeerNode.Config(d, l, !publicOnly, base.blocks().withServeBytesPerSecond(uploadKibPerSecond << 10), base.dht(), limits));
  }
}
