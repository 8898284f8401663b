package dev.weft.node.blocks;

import dev.weft.p2p.api.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The download of one blob from many providers, as a state machine without I/O: it is told which
 * providers exist and what each one answered, and asked what to do next given the time. It
 * verifies everything before it counts it: the manifest against the blob id, each chunk against
 * the manifest (length and sha2-256), so a chunk reported {@link Verdict#STORE} may be written as
 * is.
 *
 * <pre>
 *   MANIFEST ──valid manifest──▶ CHUNKS ──all chunks verified──▶ DONE
 *      │                           │
 *      └── every provider tried ───┴── every provider dropped ──▶ FAILED
 * </pre>
 *
 * Chunks are requested from the least-loaded usable provider (at most
 * {@link BlocksConfig#maxInFlightPerProvider()} each), so a fast provider serves more and a slow
 * one less. A provider is dropped from this download when it sends a corrupt manifest or chunk
 * (at once), stalls {@link BlocksConfig#maxTimeoutsPerProvider()} times, fails as often, or says it
 * has not got the blob; what it held in flight goes back to the front of the queue for the
 * others. A provider that says BUSY is left alone for {@link BlocksConfig#busyBackoffMillis()}.
 * A reply that comes after its deadline is still used if it verifies.
 *
 * <p>Not thread-safe: confine it to one serial executor.
 */
public final class DownloadScheduler {
  /** What to do with a chunk reply. */
  public enum Verdict {
    /** Verified: write it. */
    STORE,
    /** Verified, but already held: nothing to do. */
    DUPLICATE,
    /** Not a chunk (manifest, busy, not found) or corrupt: nothing to store. */
    NONE
  }

  /** How one provider did in this download. */
  public record ProviderReport(PeerId peer, int chunksServed, int corrupt, int timeouts, int failures, String droppedBecause) {
    public boolean dropped() {
      return droppedBecause != null;
    }
  }

  private static final class Provider {
    final PeerId id;
    final long order;
    int inFlight;
    int served;
    int corrupt;
    int timeouts;
    int failures;
    long idleUntil;
    boolean askedManifest;
    long lastAssigned;
    String dropped;

    Provider(PeerId id, long order) {
      this.id = id;
      this.order = order;
    }

    boolean usable(long now) {
      return dropped == null && idleUntil <= now;
    }
  }

  private record InFlight(Provider provider, long deadline) {}

  private final BlobId blob;
  private final BlocksConfig config;
  private final Map<PeerId, Provider> providers = new LinkedHashMap<>();
  private BlobManifest manifest;
  private BitSet have;
  private int haveCount;
  private final ArrayDeque<Integer> queue = new ArrayDeque<>();
  private final Map<Integer, InFlight> chunksInFlight = new HashMap<>();
  private InFlight manifestInFlight;
  private long assignments;
  private int corruptChunks;
  private DownloadAction terminal;

  /**
   * @param known the manifest, when a previous session stored it (resume), else null
   * @param alreadyHave chunks held and verified already (ignored without {@code known})
   */
  public DownloadScheduler(BlobId blob, BlocksConfig config, BlobManifest known, BitSet alreadyHave) {
    this.blob = blob;
    this.config = config;
    if (known != null) {
      if (!known.id().equals(blob)) throw new IllegalArgumentException("manifest of " + known.id() + " given for " + blob);
      start(known, alreadyHave == null ? new BitSet() : alreadyHave);
    }
  }

  private void start(BlobManifest m, BitSet held) {
    manifest = m;
    have = new BitSet(m.chunkCount());
    for (int i = 0; i < m.chunkCount(); i++) {
      if (held.get(i)) {
        have.set(i);
        haveCount++;
      } else {
        queue.addLast(i);
      }
    }
  }

  public BlobId blob() {
    return blob;
  }

  /** The manifest once known (verified), else null. */
  public BlobManifest manifest() {
    return manifest;
  }

  /** Adds a provider (ignored when known already or when the download has enough). */
  public void addProvider(PeerId peer) {
    if (providers.containsKey(peer) || providers.size() >= config.maxProvidersPerDownload()) return;
    providers.put(peer, new Provider(peer, providers.size()));
  }

  /** What to do now. Call again after each action until it answers Wait, Done or Failed. */
  public DownloadAction next(long now) {
    if (terminal != null) return terminal;
    expire(now);
    if (manifest == null) return nextForManifest(now);
    if (haveCount == manifest.chunkCount()) return terminal = new DownloadAction.Done(manifest);
    if (!queue.isEmpty()) {
      Provider p = leastLoaded(now);
      if (p != null) {
        int index = queue.pollFirst();
        p.inFlight++;
        p.lastAssigned = ++assignments;
        chunksInFlight.put(index, new InFlight(p, now + config.requestTimeoutMillis()));
        return new DownloadAction.FetchChunk(p.id, index);
      }
    }
    long until = Long.MAX_VALUE;
    for (InFlight f : chunksInFlight.values()) until = Math.min(until, f.deadline);
    for (Provider p : providers.values()) if (p.dropped == null && p.idleUntil > now) until = Math.min(until, p.idleUntil);
    if (until != Long.MAX_VALUE) return new DownloadAction.Wait(until);
    return terminal = new DownloadAction.Failed("every provider of " + blob + " was dropped or none was found (" + haveCount + " of "
        + manifest.chunkCount() + " chunks held): " + summary());
  }

  private DownloadAction nextForManifest(long now) {
    if (manifestInFlight != null) return new DownloadAction.Wait(manifestInFlight.deadline);
    long until = Long.MAX_VALUE;
    for (Provider p : providers.values()) {
      if (p.dropped != null || p.askedManifest) continue;
      if (p.idleUntil > now) {
        until = Math.min(until, p.idleUntil);
        continue;
      }
      p.askedManifest = true;
      p.inFlight++;
      manifestInFlight = new InFlight(p, now + config.requestTimeoutMillis());
      return new DownloadAction.FetchManifest(p.id);
    }
    if (until != Long.MAX_VALUE) return new DownloadAction.Wait(until);
    return terminal = new DownloadAction.Failed(providers.isEmpty() ? "no provider of " + blob + " was found"
        : "no provider gave a valid manifest for " + blob + ": " + summary());
  }

  private Provider leastLoaded(long now) {
    Provider best = null;
    for (Provider p : providers.values()) {
      if (!p.usable(now) || p.inFlight >= config.maxInFlightPerProvider()) continue;
      if (best == null || better(p, best)) best = p;
    }
    return best;
  }

  private static boolean better(Provider a, Provider b) {
    if (a.inFlight != b.inFlight) return a.inFlight < b.inFlight;
    int ta = a.timeouts + a.failures;
    int tb = b.timeouts + b.failures;
    if (ta != tb) return ta < tb;
    return a.lastAssigned < b.lastAssigned;
  }

  private void expire(long now) {
    if (manifestInFlight != null && manifestInFlight.deadline <= now) {
      Provider p = manifestInFlight.provider;
      manifestInFlight = null;
      p.inFlight--;
      timedOut(p);
    }
    List<Map.Entry<Integer, InFlight>> expired = new ArrayList<>();
    for (Map.Entry<Integer, InFlight> e : chunksInFlight.entrySet()) if (e.getValue().deadline <= now) expired.add(e);
    for (Map.Entry<Integer, InFlight> e : expired) {
      // A drop (by an earlier expiry in this loop) may have released it already.
      if (chunksInFlight.get(e.getKey()) != e.getValue()) continue;
      chunksInFlight.remove(e.getKey());
      Provider p = e.getValue().provider;
      p.inFlight--;
      if (!have.get(e.getKey())) queue.addFirst(e.getKey());
      timedOut(p);
    }
  }

  private void timedOut(Provider p) {
    p.timeouts++;
    if (p.timeouts >= config.maxTimeoutsPerProvider()) drop(p, "stalled " + p.timeouts + " times");
  }

  /**
   * {@code peer} answered its request for chunk {@code requested} (-1: the manifest) with
   * {@code reply}.
   */
  public Verdict onReply(PeerId peer, int requested, BlocksMessage.Reply reply, long now) {
    Provider p = providers.get(peer);
    if (p == null || terminal != null) return Verdict.NONE;
    boolean current = release(p, requested);
    switch (reply) {
      case BlocksMessage.Manifest m -> {
        if (requested != -1) {
          drop(p, "sent a manifest when asked for chunk " + requested);
          return Verdict.NONE;
        }
        if (manifest != null) return Verdict.NONE;
        if (!BlobId.ofManifest(m.bytes()).equals(blob)) {
          p.corrupt++;
          drop(p, "sent a manifest that does not hash to the blob id");
          return Verdict.NONE;
        }
        try {
          start(BlobManifest.decode(m.bytes(), config), new BitSet());
        } catch (BlocksDecodeException e) {
          // It hashes to the id, so the blob itself is over our limits or malformed: nobody can help.
          terminal = new DownloadAction.Failed("the manifest of " + blob + " is unusable: " + e.getMessage());
        }
        return Verdict.NONE;
      }
      case BlocksMessage.Chunk c -> {
        if (requested < 0 || c.index() != requested || manifest == null) {
          drop(p, "sent chunk " + c.index() + " when asked for " + (requested < 0 ? "the manifest" : "chunk " + requested));
          return Verdict.NONE;
        }
        if (!manifest.verifyChunk(c.index(), c.data())) {
          p.corrupt++;
          corruptChunks++;
          if (current && !have.get(c.index())) queue.addFirst(c.index());
          drop(p, "sent a corrupt chunk " + c.index());
          return Verdict.NONE;
        }
        if (have.get(c.index())) return Verdict.DUPLICATE;
        have.set(c.index());
        haveCount++;
        p.served++;
        // A late reply may beat the provider it was reassigned to; that one's reply becomes a duplicate.
        queue.remove(c.index());
        return Verdict.STORE;
      }
      case BlocksMessage.NotFound n -> {
        requeue(requested, current);
        drop(p, "does not have the blob");
        return Verdict.NONE;
      }
      case BlocksMessage.Busy b -> {
        requeue(requested, current);
        p.idleUntil = now + config.busyBackoffMillis();
        return Verdict.NONE;
      }
    }
  }

  /** The request to {@code peer} for {@code requested} (-1: manifest) failed: stream reset, unreachable, garbage. */
  public void onError(PeerId peer, int requested, String reason, boolean malformed, long now) {
    Provider p = providers.get(peer);
    if (p == null || terminal != null) return;
    boolean current = release(p, requested);
    requeue(requested, current);
    if (malformed) {
      drop(p, "sent a malformed reply: " + reason);
      return;
    }
    p.failures++;
    if (p.failures >= config.maxTimeoutsPerProvider()) drop(p, "failed " + p.failures + " times (last: " + reason + ")");
  }

  /** Releases {@code p}'s request for {@code requested}; true when it was still current (not timed out). */
  private boolean release(Provider p, int requested) {
    if (requested == -1) {
      if (manifestInFlight != null && manifestInFlight.provider == p) {
        manifestInFlight = null;
        p.inFlight--;
        return true;
      }
      return false;
    }
    InFlight f = chunksInFlight.get(requested);
    if (f != null && f.provider == p) {
      chunksInFlight.remove(requested);
      p.inFlight--;
      return true;
    }
    return false;
  }

  private void requeue(int requested, boolean current) {
    if (requested >= 0 && current && manifest != null && !have.get(requested)) queue.addFirst(requested);
  }

  private void drop(Provider p, String reason) {
    if (p.dropped != null) return;
    p.dropped = reason;
    for (Iterator<Map.Entry<Integer, InFlight>> it = chunksInFlight.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, InFlight> e = it.next();
      if (e.getValue().provider != p) continue;
      it.remove();
      p.inFlight--;
      if (!have.get(e.getKey())) queue.addFirst(e.getKey());
    }
    if (manifestInFlight != null && manifestInFlight.provider == p) {
      manifestInFlight = null;
      p.inFlight--;
    }
  }

  /** Chunks verified so far (including those held at the start). */
  public int chunksHeld() {
    return haveCount;
  }

  /** Corrupt chunks received (and discarded). */
  public int corruptChunks() {
    return corruptChunks;
  }

  public boolean isFinished() {
    return terminal != null;
  }

  /** A copy of the held-chunk set (empty before the manifest is known). */
  public BitSet held() {
    return have == null ? new BitSet() : (BitSet) have.clone();
  }

  public List<ProviderReport> providers() {
    List<ProviderReport> out = new ArrayList<>();
    for (Provider p : providers.values()) out.add(new ProviderReport(p.id, p.served, p.corrupt, p.timeouts, p.failures, p.dropped));
    return out;
  }

  private String summary() {
    StringBuilder b = new StringBuilder();
    for (Provider p : providers.values()) {
      if (b.length() > 0) b.append("; ");
      b.append(p.id.toBase58(), 0, Math.min(12, p.id.toBase58().length())).append("…: ").append(p.dropped == null ? "usable" : p.dropped);
      if (b.length() > 400) {
        b.append("; …");
        break;
      }
    }
    return b.toString();
  }
}
