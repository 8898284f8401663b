package dev.weft.cli.dht;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.DhtMode;
import dev.weft.dht.host.KadDht;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.DhtStore;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.dht.store.RocksDhtStore;
import dev.weft.p2p.crypto.Keys;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The DHT options of {@code weft p2p serve} (a picocli mixin). {@link #attach} installs a
 * {@link KadDht} on the started host, which then owns it (and its store): closing the host closes
 * both, DHT first.
 */
public final class DhtOptions {
  private static final Logger LOG = LoggerFactory.getLogger(DhtOptions.class);

  @Option(names = "--kad-protocol", paramLabel = "ID", description = "DHT protocol id (default ${DEFAULT-VALUE}; /ipfs/kad/1.0.0 to talk to IPFS/js peers).",
      defaultValue = DhtConfig.WEFT_PROTOCOL)
  String protocol = DhtConfig.WEFT_PROTOCOL;

  @Option(names = "--dht-mode", paramLabel = "MODE", description = "server (answers queries) or client (only asks); default ${DEFAULT-VALUE}.",
      defaultValue = "server")
  String mode = "server";

  @Option(names = "--bootstrap", paramLabel = "MULTIADDR", split = ",", description = "DHT bootstrap peer with /p2p/ (repeatable or comma-separated); joined in the background at start.")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--dht-dir", paramLabel = "DIR", description = "RocksDB directory for records, providers and the routing table (default: memory only).")
  Path dir;

  @Option(names = "--dht-public-addrs-only", description = "Leave private and loopback addresses out of DHT answers (as js does by default).")
  boolean publicOnly;

  /** The config these options describe. */
  public DhtConfig config() {
    DhtMode m = switch (mode.toLowerCase(Locale.ROOT)) {
      case "server" -> DhtMode.SERVER;
      case "client" -> DhtMode.CLIENT;
      default -> throw new IllegalArgumentException("--dht-mode must be server or client, not " + mode);
    };
    return DhtConfig.defaults().withProtocolId(protocol).withMode(m);
  }

  public List<Multiaddr> bootstrapAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (String b : bootstrap) {
      try {
        out.add(Multiaddr.parse(b));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad --bootstrap address " + b + ": " + e.getMessage());
      }
    }
    return out;
  }

  /** Installs the DHT on a started host and starts joining the bootstrap peers in the background. */
  public KadDht attach(HostBuilder.Built built) {
    DhtConfig config = config();
    List<Multiaddr> boot = bootstrapAddresses();
    DhtStore store = dir == null ? new MemoryDhtStore() : RocksDhtStore.open(dir);
    // The host closes what it holds newest first: the DHT (which saves its table) before its store.
    built.host().own(store);
    KadDht dht = built.host().install(KadDht.factory(config, store, ValidatorRegistry.standard(Keys::unmarshalPublicKey), !publicOnly));
    DhtRegistry.register(built.host(), dht);
    if (!boot.isEmpty()) {
      dht.bootstrap(boot).whenComplete((r, e) -> {
        if (e != null) LOG.warn("DHT bootstrap failed: {}", e.toString());
        else LOG.info("DHT bootstrapped: {} peers in the routing table", dht.node().routingTable().size());
      });
    }
    return dht;
  }
}
