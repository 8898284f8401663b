package dev.weft.crdt.run;

import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.replica.Replica;
import dev.weft.crdt.replica.StateListener;
import dev.weft.crdt.type.Bytes;
import dev.weft.crdt.type.Crdt;
import dev.weft.crdt.type.GCounter;
import dev.weft.crdt.type.LwwRegister;
import dev.weft.p2p.api.PeerId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Typed views and writes over a replica holding a {@link RunSchema#standard} state: what the node
 * reads (members, contributions of a round, seals, bans) and writes (its own records). Touch only
 * on the replica's thread. Writes return the signed delta for the caller to publish (or use
 * {@link dev.weft.crdt.net.CrdtStateService#write}, which publishes).
 */
public final class RunState {
  private final Replica replica;

  public RunState(Replica replica) {
    this.replica = replica;
  }

  public Replica replica() {
    return replica;
  }

  /** Members by peer, with their join records; banned peers are left out. */
  public Map<PeerId, Bytes> members() {
    Set<PeerId> banned = bans();
    Map<PeerId, Bytes> out = new TreeMap<>();
    for (Map.Entry<String, Crdt> e : replica.entries("members/").entrySet()) {
      PeerId p = PeerId.fromBase58(e.getKey().substring("members/".length()));
      if (!banned.contains(p) && e.getValue() instanceof LwwRegister r && !r.isBottom()) out.put(p, r.value());
    }
    return out;
  }

  /** Contributions announced for {@code round}, by peer (banned peers left out). */
  public Map<PeerId, Bytes> contributions(long round) {
    Set<PeerId> banned = bans();
    String prefix = "contrib/" + round + "/";
    Map<PeerId, Bytes> out = new TreeMap<>();
    for (Map.Entry<String, Crdt> e : replica.entries(prefix).entrySet()) {
      PeerId p = PeerId.fromBase58(e.getKey().substring(prefix.length()));
      if (!banned.contains(p) && e.getValue() instanceof LwwRegister r && !r.isBottom()) out.put(p, r.value());
    }
    return out;
  }

  public long progress(PeerId peer) {
    return ((GCounter) replica.get("progress/" + peer.toBase58())).value();
  }

  public Optional<Bytes> seal(long round) {
    return register("seal/" + round);
  }

  public Optional<Bytes> manifest(String field) {
    return register("manifest/" + field);
  }

  public Optional<Bytes> checkpoint() {
    return register("checkpoint");
  }

  /** Peers banned with evidence, and writers this replica proved to equivocate. */
  public Set<PeerId> bans() {
    Set<PeerId> out = new TreeSet<>(replica.equivocators().keySet());
    for (String k : replica.entries("bans/").keySet()) out.add(PeerId.fromBase58(k.substring("bans/".length())));
    return out;
  }

  private Optional<Bytes> register(String key) {
    return replica.get(key) instanceof LwwRegister r && !r.isBottom() ? Optional.of(r.value()) : Optional.empty();
  }

  // --------------------------------------------------------------------------- our writes

  public SignedDelta join(Bytes record) {
    return replica.put("members/" + replica.self().toBase58(), record);
  }

  public SignedDelta addProgress(long steps) {
    return replica.write("progress/" + replica.self().toBase58(), (c, ctx) -> ((GCounter) c).increment(ctx.replica(), steps));
  }

  public SignedDelta contribute(long round, Bytes digest) {
    return replica.put("contrib/" + round + "/" + replica.self().toBase58(), digest);
  }

  public SignedDelta seal(long round, Bytes certificate) {
    return replica.put("seal/" + round, certificate);
  }

  public SignedDelta ban(PeerId peer, Bytes evidence) {
    return replica.put("bans/" + peer.toBase58(), evidence);
  }

  public SignedDelta setManifest(String field, Bytes value) {
    return replica.put("manifest/" + field, value);
  }

  /** Listens to every change (keys and new values). */
  public void onChange(StateListener l) {
    replica.addListener(l);
  }
}
