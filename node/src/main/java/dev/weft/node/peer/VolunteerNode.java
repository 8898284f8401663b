package dev.weft.node.peer;

import dev.weft.node.blocks.BlobId;
import dev.weft.node.blocks.DownloadResult;
import dev.weft.node.run.InvalidManifestException;
import dev.weft.node.run.RunManifest;
import dev.weft.node.run.SignedManifest;
import dev.weft.node.train.ModelSpecs;
import dev.weft.node.train.checkpoint.Checkpoint;
import dev.weft.node.train.checkpoint.CheckpointCodec;
import dev.weft.node.train.checkpoint.CorruptCheckpointException;
import dev.weft.p2p.multiformats.Multiaddr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A volunteer's life cycle up to training: join the DHT, find the run's manifest and verify it
 * (or read the one an earlier session saved in {@code DIR/runs/}), download the checkpoint and
 * this peer's shards from every provider (resuming what a killed session left), check that the
 * checkpoint is the manifest's model, provide everything it holds, and re-put the signed manifest
 * so the run outlives its coordinator. Then it serves; the round protocol and the trainer take
 * over from {@link #join}'s result (docs/node.md, "What plugs in where").
 *
 * <p>Blocking: call it from a thread of its own (the CLI's main thread), never from a host thread.
 */
public final class VolunteerNode {
  /** How long a query to the network may take. */
  static final long QUERY_TIMEOUT_SECONDS = 60;
  /** How long to keep looking for a run that is not (yet) in the DHT. */
  static final long FIND_RUN_SECONDS = 120;
  /** A checkpoint is decoded in memory; larger ones wait for the streaming trainer. */
  static final long MAX_CHECKPOINT_BYTES_DECODED = 1L << 30;

  private final PeerNode peer;
  private final Path dir;
  private final Consumer<NodeEvent> events;

  /** What a joined node holds. */
  public record Joined(SignedManifest.Signed run, Checkpoint checkpoint, List<BlobId> shards) {}

  public VolunteerNode(PeerNode peer, Path dir, Consumer<NodeEvent> events) {
    this.peer = peer;
    this.dir = dir;
    this.events = events;
  }

  public Joined join(String runId, List<Multiaddr> bootstrap) throws Exception {
    int size = peer.bootstrap(bootstrap).get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    events.accept(new NodeEvent.Joined(size));
    SignedManifest.Signed run = findRun(runId);
    RunManifest m = run.manifest();
    // Re-put: the record lives on whoever is closest to its key, and must outlive the coordinator.
    peer.dht().node().putValue(run.key(), run.value()).exceptionally(e -> null);

    BlobId ckptId = m.model().checkpoint();
    fetch("checkpoint", ckptId);
    Checkpoint ckpt = verifyCheckpoint(m, ckptId);
    List<BlobId> mine = ShardPick.forPeer(peer.peerId(), m.data().shards(), m.data().shardsPerPeer());
    for (BlobId s : mine) fetch("shard", s);
    List<BlobId> held = new ArrayList<>();
    for (BlobId b : peer.blobs().complete()) {
      held.add(b);
      peer.provide(b).exceptionally(e -> null);
    }
    events.accept(new NodeEvent.Ready(held.size()));
    return new Joined(run, ckpt, mine);
  }

  private SignedManifest.Signed findRun(String runId) throws Exception {
    Path saved = dir.resolve("runs").resolve(runId.replace('/', '_') + ".record");
    if (Files.exists(saved)) {
      try {
        byte[] v = Files.readAllBytes(saved);
        SignedManifest.Signed s = SignedManifest.verify(SignedManifest.key(runId), v, System.currentTimeMillis(), PeerNode.KEYS);
        events.accept(new NodeEvent.RunVerified(runId, true));
        return s;
      } catch (InvalidManifestException | IOException e) {
        events.accept(new NodeEvent.Problem("the saved manifest " + saved + " is unusable (" + e.getMessage() + "); looking it up again"));
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FIND_RUN_SECONDS);
    while (true) {
      Optional<SignedManifest.Signed> s = peer.findRun(runId).get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (s.isPresent()) {
        Files.createDirectories(saved.getParent());
        Path tmp = saved.resolveSibling(saved.getFileName() + ".tmp");
        Files.write(tmp, s.get().value());
        Files.move(tmp, saved, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        events.accept(new NodeEvent.RunVerified(runId, false));
        return s.get();
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("run " + runId + " was not found in the DHT within " + FIND_RUN_SECONDS + " s");
      events.accept(new NodeEvent.Problem("run " + runId + " not found yet; retrying"));
      Thread.sleep(2000);
    }
  }

  private void fetch(String role, BlobId blob) throws Exception {
    if (!peer.blobs().isComplete(blob)) {
      events.accept(new NodeEvent.Downloading(role, blob, peer.blobs().manifest(blob).map(x -> x.size()).orElse(-1L), -1));
    }
    DownloadResult r = peer.download(blob).get(30, TimeUnit.MINUTES);
    int used = (int) r.providers().stream().filter(p -> p.chunksServed() > 0).count();
    events.accept(new NodeEvent.Downloaded(role, blob, r.manifest().size(), r.fetched(), r.resumed(), used, r.millis()));
  }

  private Checkpoint verifyCheckpoint(RunManifest m, BlobId blob) {
    long size = peer.blobs().manifest(blob).orElseThrow().size();
    if (size > MAX_CHECKPOINT_BYTES_DECODED) throw new IllegalStateException("checkpoint " + blob + " is " + size + " bytes: too large to check in memory");
    Checkpoint c;
    try {
      c = CheckpointCodec.decode(peer.blobs().read(blob));
    } catch (CorruptCheckpointException e) {
      throw new IllegalStateException("the run's checkpoint " + blob + " is not a weft checkpoint: " + e.getMessage());
    }
    String want = ModelSpecs.format(ModelSpecs.parse(m.model().spec()));
    if (!ModelSpecs.format(c.model()).equals(want)) {
      throw new IllegalStateException("the run's checkpoint is a " + ModelSpecs.format(c.model()) + ", the manifest says " + want);
    }
    events.accept(new NodeEvent.CheckpointVerified(blob, c.model().name(), c.round(), c.theta().length));
    return c;
  }
}
