package dev.weft.crdt.replica;

import dev.weft.crdt.codec.DecodeLimits;
import dev.weft.crdt.codec.MalformedEncodingException;
import dev.weft.crdt.delta.DeltaValidator;
import dev.weft.crdt.delta.Equivocation;
import dev.weft.crdt.delta.KeyRule;
import dev.weft.crdt.delta.Schema;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.delta.Verdict;
import dev.weft.crdt.delta.WriteRule;
import dev.weft.crdt.type.Crdt;
import dev.weft.crdt.type.Hlc;
import dev.weft.crdt.type.HybridClock;
import dev.weft.crdt.type.LwwRegister;
import dev.weft.crdt.type.Mutation;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * One peer's replica of a run's state: an I/O-free state machine, told of deltas (from gossip,
 * from anti-entropy, from local writes) and asked for digests and for what a peer lacks.
 *
 * <p>The state is always the join of the held deltas of writers not proven to equivocate. A delta
 * is merged only after {@link DeltaValidator} accepted it; a second, different delta with a seq we
 * hold is equivocation: the pair becomes evidence, the writer is excluded (the state rebuilt
 * without any of its deltas) and, when the schema has a ban rule, a ban carrying the evidence is
 * written so every replica learns it. Because exclusion depends only on which signed deltas exist,
 * replicas that saw them in different orders still converge.
 *
 * <p>Not thread-safe: confine to one thread (the adapters use the host's scheduler).
 */
public final class Replica {
  private final String runId;
  private final Schema schema;
  private final PrivKey key;
  private final PeerId self;
  private final HybridClock clock;
  private final ReplicaConfig config;
  private final ReplicaStore store;
  private final DeltaValidator validator;
  private final TreeMap<PeerId, WriterLog> logs = new TreeMap<>();
  private final TreeMap<String, Crdt> state = new TreeMap<>();
  private final StateRoot root = new StateRoot();
  private final TreeMap<PeerId, Equivocation> equivocators = new TreeMap<>();
  /** Per known replica, the covered prefix per writer it last reported: its acknowledgements. */
  private final Map<PeerId, Map<PeerId, Long>> acks = new HashMap<>();
  private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
  private final Counters counters = new Counters();
  private final String banPrefixPattern;

  /** Running totals, for benchmarks and debugging. */
  public static final class Counters {
    public long accepted;
    public long duplicates;
    public long rejected;
    public long ignored;
    public long equivocations;
    public long compacted;
    public String lastRejection = "";
  }

  public Replica(String runId, Schema schema, PrivKey key, HybridClock clock, ReplicaConfig config, ReplicaStore store) {
    this.runId = runId;
    this.schema = schema;
    this.key = key;
    this.self = PeerId.fromPublicKey(key.publicKey());
    this.clock = clock;
    this.config = config;
    this.store = store;
    this.validator = new DeltaValidator(runId, schema, clock, config.maxDeltaBytes());
    String ban = null;
    for (KeyRule r : schema.rules()) {
      if (r.rule() instanceof WriteRule.WithEvidence) ban = r.pattern().toString();
    }
    this.banPrefixPattern = ban;
    restore(store.load());
  }

  private void restore(ReplicaStore.Snapshot snap) {
    for (SignedDelta d : snap.deltas()) log(d.writer()).add(d);
    for (Map.Entry<PeerId, Long> e : snap.contiguous().entrySet()) log(e.getKey()).coverThrough(e.getValue());
    for (Equivocation e : snap.evidence()) equivocators.put(e.first().writer(), e);
    for (SignedDelta d : snap.deltas()) clock.observe(d.hlc());
    if (!snap.state().isEmpty()) {
      state.putAll(snap.state());
      for (Map.Entry<String, Crdt> e : state.entrySet()) root.put(e.getKey(), e.getValue());
    } else {
      rebuildState();
    }
  }

  public String runId() {
    return runId;
  }

  public PeerId self() {
    return self;
  }

  public Schema schema() {
    return schema;
  }

  public Counters counters() {
    return counters;
  }

  public void addListener(StateListener l) {
    listeners.add(l);
  }

  public void removeListener(StateListener l) {
    listeners.remove(l);
  }

  // ------------------------------------------------------------------------------- reads

  /** The value of {@code key}, or the bottom of its declared type (null if no rule declares it). */
  public Crdt get(String key) {
    Crdt v = state.get(key);
    if (v != null) return v;
    return schema.match(key).map(m -> m.rule().type().bottom()).orElse(null);
  }

  /** Keys with a value, sorted. */
  public SortedMap<String, Crdt> entries() {
    return Collections.unmodifiableSortedMap(state);
  }

  /** The keys starting with {@code prefix}, sorted. */
  public SortedMap<String, Crdt> entries(String prefix) {
    return Collections.unmodifiableSortedMap(state.subMap(prefix, prefix + Character.MAX_VALUE));
  }

  public byte[] stateRoot() {
    return root.root();
  }

  /** Writers proven to equivocate (their deltas are excluded), with the evidence. */
  public Map<PeerId, Equivocation> equivocators() {
    return Collections.unmodifiableMap(equivocators);
  }

  public int heldDeltas() {
    int n = 0;
    for (WriterLog l : logs.values()) n += l.size();
    return n;
  }

  public ReplicaDigest digest() {
    List<ReplicaDigest.Writer> ws = new ArrayList<>();
    for (WriterLog l : logs.values()) ws.add(new ReplicaDigest.Writer(l.writer, l.contiguous(), l.extras(), l.hash()));
    return new ReplicaDigest(root.root(), ws);
  }

  // ------------------------------------------------------------------------------- writes

  /** What a local mutator is given: our replica id and the timestamp of this write. */
  public record WriteContext(String replica, Hlc hlc) {}

  /**
   * Writes {@code key} locally: {@code op} turns its current value into a mutation; the delta is
   * signed, merged, persisted, and returned for publishing.
   *
   * @throws IllegalArgumentException if the schema does not let us write it
   */
  public SignedDelta write(String key, BiFunction<Crdt, WriteContext, Mutation<? extends Crdt>> op) {
    Crdt current = get(key);
    if (current == null) throw new IllegalArgumentException("no schema rule for key " + key);
    Hlc hlc = clock.now();
    Mutation<? extends Crdt> m = op.apply(current, new WriteContext(self.toBase58(), hlc));
    long seq = log(self).contiguous() + 1;
    SignedDelta d = SignedDelta.sign(this.key, runId, seq, hlc, key, m.delta());
    Verdict v = receive(d);
    if (!v.accepted()) throw new IllegalArgumentException("own write refused: " + v.reason());
    return d;
  }

  /** Writes a last-writer-wins register. */
  public SignedDelta put(String key, dev.weft.crdt.type.Bytes value) {
    return write(key, (c, ctx) -> ((LwwRegister) c).write(ctx.hlc(), ctx.replica(), value));
  }

  /** Decodes, validates and merges a delta received from the network. */
  public Verdict receive(byte[] encoded) {
    DeltaValidator.Decoded dec = validator.decodeAndValidate(encoded);
    if (!dec.verdict().accepted()) return count(dec.verdict());
    return admit(dec.delta());
  }

  /** Validates and merges a delta. */
  public Verdict receive(SignedDelta d) {
    Verdict v = validator.validate(d);
    if (!v.accepted()) return count(v);
    return admit(d);
  }

  private Verdict admit(SignedDelta d) {
    if (equivocators.containsKey(d.writer())) return count(Verdict.reject("writer " + d.writer() + " equivocated"));
    WriterLog log = log(d.writer());
    SignedDelta existing = log.get(d.seq());
    if (existing != null) {
      if (existing.sameId(d)) return count(Verdict.DUPLICATE);
      equivocation(new Equivocation(existing, d));
      return count(Verdict.reject("equivocation: " + d.writer() + " signed two deltas #" + d.seq()));
    }
    if (d.seq() > log.contiguous() + config.maxAheadPerWriter()) {
      return count(Verdict.ignore("seq " + d.seq() + " too far beyond " + log.contiguous()));
    }
    clock.observe(d.hlc());
    log.add(d);
    Crdt merged = get(d.key()).merge(d.value());
    state.put(d.key(), merged);
    root.put(d.key(), merged);
    store.accepted(d, merged, log.contiguous());
    counters.accepted++;
    for (StateListener l : listeners) l.onChange(d.key(), merged, d);
    if (banPrefixPattern != null) learnEvidence(d);
    return Verdict.ACCEPTED;
  }

  /** A merged ban may carry equivocation evidence: if so, exclude the accused too. */
  private void learnEvidence(SignedDelta d) {
    if (!(d.value() instanceof LwwRegister r) || r.isBottom()) return;
    Optional<Schema.Match> m = schema.match(d.key());
    if (m.isEmpty() || !(m.get().rule().rule() instanceof WriteRule.WithEvidence we)) return;
    try {
      Equivocation e = Equivocation.decode(r.value(), DecodeLimits.delta());
      PeerId accused = PeerId.fromBase58(m.get().vars().get(we.variable()));
      if (!equivocators.containsKey(accused) && e.proves(accused)) exclude(e);
    } catch (MalformedEncodingException | IllegalArgumentException ignored) {
      // Another kind of evidence: a ban, but nothing the replica itself acts on.
    }
  }

  private void equivocation(Equivocation e) {
    counters.equivocations++;
    exclude(e);
    if (banPrefixPattern != null && !e.first().writer().equals(self)) {
      String banKey = dev.weft.crdt.delta.KeyPattern.parse(banPrefixPattern).key(e.first().writer().toBase58());
      try {
        write(banKey, (c, ctx) -> ((LwwRegister) c).write(ctx.hlc(), ctx.replica(), e.encode()));
      } catch (IllegalArgumentException | ClassCastException ex) {
        // The schema's ban rule does not take evidence this way; the exclusion stands locally.
      }
    }
  }

  private void exclude(Equivocation e) {
    equivocators.put(e.first().writer(), e);
    rebuildState();
    store.rebuilt(state, e);
    for (Map.Entry<String, Crdt> en : state.entrySet()) for (StateListener l : listeners) l.onChange(en.getKey(), en.getValue(), null);
  }

  private void rebuildState() {
    state.clear();
    root.clear();
    for (WriterLog l : logs.values()) {
      if (equivocators.containsKey(l.writer)) continue;
      for (SignedDelta d : l.held().values()) {
        Crdt cur = state.get(d.key());
        Crdt base = cur != null ? cur : schema.match(d.key()).map(m -> m.rule().type().bottom()).orElse(null);
        if (base == null) continue;
        state.put(d.key(), base.merge(d.value()));
      }
    }
    for (Map.Entry<String, Crdt> e : state.entrySet()) root.put(e.getKey(), e.getValue());
  }

  private Verdict count(Verdict v) {
    switch (v.kind()) {
      case DUPLICATE -> counters.duplicates++;
      case REJECT -> {
        counters.rejected++;
        counters.lastRejection = v.reason();
      }
      case IGNORE -> counters.ignored++;
      case ACCEPT -> { }
    }
    return v;
  }

  private WriterLog log(PeerId writer) {
    return logs.computeIfAbsent(writer, WriterLog::new);
  }

  // ------------------------------------------------------------------------------- anti-entropy

  /** What to send a peer whose digest is {@code theirs}: deltas it lacks, and covered-prefix claims. */
  public record Missing(List<SignedDelta> deltas, Map<PeerId, Long> coverClaims) {}

  /**
   * The deltas {@code theirs} lacks: those at seqs it does not cover, and, for a writer whose
   * coverage equals ours but whose live-delta hash differs (it holds something we do not, such as
   * the other half of an equivocation), every live delta of that writer (the full-state
   * fall-back). For writers we compacted below its covered prefix, a claim that our live deltas
   * cover through our prefix.
   */
  public Missing missingFor(ReplicaDigest theirs, long maxBytes) {
    List<SignedDelta> out = new ArrayList<>();
    Map<PeerId, Long> claims = new TreeMap<>();
    long bytes = 0;
    for (WriterLog l : logs.values()) {
      ReplicaDigest.Writer w = theirs.writer(l.writer);
      boolean full = w != null && sameCoverage(w, l) && !Arrays.equals(w.logHash(), l.hash());
      for (SignedDelta d : l.held().values()) {
        boolean send = full ? l.isLive(d.seq()) : (w == null || !w.covers(d.seq()));
        if (!send) continue;
        if (bytes + d.encodedLength() > maxBytes) return new Missing(out, claims);
        out.add(d);
        bytes += d.encodedLength();
      }
      long theirPrefix = w == null ? 0 : w.contiguous();
      if (l.contiguous() > theirPrefix && !gapFree(l, theirPrefix)) claims.put(l.writer, l.contiguous());
    }
    return new Missing(out, claims);
  }

  /**
   * Whether {@code w} covers exactly the seqs we cover for that writer. Only then does a hash
   * mismatch mean different content (equivocation, a false cover claim); with different coverage
   * the hashes differ anyway and the seqs it lacks are what it needs.
   */
  private static boolean sameCoverage(ReplicaDigest.Writer w, WriterLog l) {
    return w.contiguous() == l.contiguous() && w.extras().equals(l.extras());
  }

  /** Whether we hold every seq in (from, contiguous]: then the deltas alone raise the peer's prefix. */
  private static boolean gapFree(WriterLog l, long from) {
    return l.held().subMap(from, false, l.contiguous(), true).size() == l.contiguous() - from;
  }

  /**
   * Takes a peer's claim that the deltas it just sent cover {@code writer} through {@code seq}
   * (it compacted superseded ones). Honoured only up to the highest seq we hold, so a claim cannot
   * hide deltas beyond what arrived; a false claim inside that range shows up as a live-hash
   * mismatch with an honest peer, whose full fall-back then repairs it.
   */
  public void acceptCoverClaim(PeerId writer, long seq) {
    if (equivocators.containsKey(writer)) return;
    WriterLog l = logs.get(writer);
    if (l == null || l.size() == 0 || seq <= l.contiguous()) return;
    long through = Math.min(seq, l.held().lastKey());
    if (through > l.contiguous()) {
      l.coverThrough(through);
      store.covered(writer, l.contiguous());
    }
  }

  /** Records {@code peer}'s digest as its acknowledgement of what it covers. */
  public void acknowledged(PeerId peer, ReplicaDigest theirs) {
    Map<PeerId, Long> m = new HashMap<>();
    for (ReplicaDigest.Writer w : theirs.writers()) m.put(w.writer(), w.contiguous());
    acks.put(peer, m);
  }

  /** Stops waiting for {@code peer}'s acknowledgements (it left the run). */
  public void forgetReplica(PeerId peer) {
    acks.remove(peer);
  }

  /** Drops superseded deltas that every known replica has acknowledged past; returns how many. */
  public int compact() {
    int n = 0;
    for (WriterLog l : logs.values()) {
      long min = l.contiguous();
      for (Map<PeerId, Long> a : acks.values()) min = Math.min(min, a.getOrDefault(l.writer, 0L));
      List<SignedDelta> dropped = l.compact(min);
      if (!dropped.isEmpty()) {
        store.compacted(dropped);
        n += dropped.size();
      }
    }
    counters.compacted += n;
    return n;
  }
}
