package dev.weft.testnet;

import dev.weft.dht.DhtConfig;
import dev.weft.dht.host.KadDht;
import dev.weft.dht.record.Keys;
import dev.weft.dht.record.SignedRecords;
import dev.weft.dht.record.ValidatorRegistry;
import dev.weft.dht.store.MemoryDhtStore;
import dev.weft.node.runtime.RunSpec;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.util.concurrent.TimeUnit;

/**
 * The run's coordinator: a host and a DHT server that signs the run spec and stores it as the
 * {@code /weft/run/<coordinator>/<name>} record, serves as the first bootstrap peer, and leaves
 * once volunteers hold the record. It trains nothing and holds no run state.
 */
public final class Coordinator implements AutoCloseable {
  static final long RECORD_TTL_MILLIS = 24 * 3_600_000L;

  private final PrivKey key;
  private final RunSpec spec;
  private final HostBuilder.Built built;
  private final KadDht dht;
  private long seq;

  public Coordinator(PrivKey key, RunSpec spec) throws Exception {
    this.key = key;
    this.spec = spec;
    built = BasicHost.builder().privateKey(key).transport(TcpTransport::new).listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).buildWithServices();
    built.host().start().get(30, TimeUnit.SECONDS);
    MemoryDhtStore store = new MemoryDhtStore();
    dht = KadDht.install(built.host(), DhtConfig.defaults(), store, ValidatorRegistry.standard(dev.weft.p2p.crypto.Keys::unmarshalPublicKey), built.ping(), true);
    built.host().own(dht);
    built.host().own(store);
    publish();
  }

  public PeerId peerId() {
    return built.host().peerId();
  }

  /** {@code <coordinator>/<name>}. */
  public String runId() {
    return peerId().toBase58() + "/" + spec.name();
  }

  public Multiaddr address() {
    return built.host().listenAddresses().get(0).withPeerId(peerId());
  }

  /** Signs and stores the record (again: a higher sequence number reaches the closest peers known now). */
  public void publish() throws Exception {
    byte[] k = Keys.runKey(peerId(), spec.name());
    byte[] value = SignedRecords.sign(key, k, spec.encode(), ++seq, System.currentTimeMillis() + RECORD_TTL_MILLIS);
    dht.node().putValue(k, value).get(30, TimeUnit.SECONDS);
  }

  /** Leaves the network: the run must go on without us. */
  @Override public void close() {
    built.host().close();
  }
}
