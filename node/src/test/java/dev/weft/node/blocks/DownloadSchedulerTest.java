package dev.weft.node.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The download state machine on its own: told what providers answered, asked what next. */
class DownloadSchedulerTest {
  static final BlocksConfig CONFIG = BlocksConfig.defaults().withChunkBytes(1024).withRequestTimeoutMillis(1000);
  static final byte[] DATA = BlobManifestTest.random(20 * 1024 + 100, 11);
  static final BlobManifest MANIFEST = BlobManifest.of(DATA, 1024);
  static final PeerId A = peer(1);
  static final PeerId B = peer(2);
  static final PeerId C = peer(3);

  static PeerId peer(long n) {
    return PeerId.fromPublicKey(Ed25519.fromSeedNumber(n).publicKey());
  }

  static byte[] chunk(int i) {
    int off = i * 1024;
    return Arrays.copyOfRange(DATA, off, Math.min(DATA.length, off + 1024));
  }

  /** Drains actions at {@code now} until Wait/Done/Failed; returns the fetches. */
  static List<DownloadAction> drain(DownloadScheduler s, long now, List<DownloadAction> terminalOut) {
    List<DownloadAction> out = new ArrayList<>();
    while (true) {
      DownloadAction a = s.next(now);
      if (a instanceof DownloadAction.FetchChunk || a instanceof DownloadAction.FetchManifest) out.add(a);
      else {
        terminalOut.add(a);
        return out;
      }
    }
  }

  @Test
  void fetchesTheManifestThenSpreadsChunksOverProviders() {
    DownloadScheduler s = new DownloadScheduler(MANIFEST.id(), CONFIG, null, null);
    s.addProvider(A);
    s.addProvider(B);
    List<DownloadAction> end = new ArrayList<>();
    List<DownloadAction> first = drain(s, 0, end);
    assertThat(first).containsExactly(new DownloadAction.FetchManifest(A));
    assertThat(end.get(0)).isEqualTo(new DownloadAction.Wait(1000));
    assertThat(s.onReply(A, -1, new BlocksMessage.Manifest(MANIFEST.encode()), 5)).isEqualTo(DownloadScheduler.Verdict.NONE);
    assertThat(s.manifest()).isEqualTo(MANIFEST);
    List<DownloadAction> fetches = drain(s, 5, end);
    // 4 in flight per provider, alternating
    assertThat(fetches).hasSize(8);
    Map<PeerId, Integer> per = new HashMap<>();
    for (DownloadAction a : fetches) per.merge(((DownloadAction.FetchChunk) a).provider(), 1, Integer::sum);
    assertThat(per).containsEntry(A, 4).containsEntry(B, 4);
  }

  @Test
  void completesWhenEveryChunkVerified() {
    DownloadScheduler s = new DownloadScheduler(MANIFEST.id(), CONFIG, MANIFEST, new BitSet());
    s.addProvider(A);
    long now = 0;
    int stored = 0;
    List<DownloadAction> end = new ArrayList<>();
    while (true) {
      List<DownloadAction> fetches = drain(s, now, end);
      DownloadAction last = end.get(end.size() - 1);
      if (last instanceof DownloadAction.Done d) {
        assertThat(d.manifest()).isEqualTo(MANIFEST);
        break;
      }
      assertThat(fetches).isNotEmpty();
      for (DownloadAction a : fetches) {
        int i = ((DownloadAction.FetchChunk) a).index();
        if (s.onReply(A, i, new BlocksMessage.Chunk(i, chunk(i)), now) == DownloadScheduler.Verdict.STORE) stored++;
      }
      now += 10;
    }
    assertThat(stored).isEqualTo(MANIFEST.chunkCount());
    assertThat(s.providers()).singleElement().satisfies(r -> assertThat(r.chunksServed()).isEqualTo(MANIFEST.chunkCount()));
  }

  @Test
  void aCorruptChunkDropsItsProviderAndTheChunkGoesToAnother() {
    DownloadScheduler s = new DownloadScheduler(MANIFEST.id(), CONFIG, MANIFEST, new BitSet());
    s.addProvider(A);
    s.addProvider(B);
    List<DownloadAction> end = new ArrayList<>();
    List<DownloadAction> fetches = drain(s, 0, end);
    DownloadAction.FetchChunk fromA = (DownloadAction.FetchChunk) fetches.stream().filter(a -> ((DownloadAction.FetchChunk) a).provider().equals(A)).findFirst().orElseThrow();
    byte[] bad = chunk(fromA.index());
    bad[0] ^= 0x55;
    assertThat(s.onReply(A, fromA.index(), new BlocksMessage.Chunk(fromA.index(), bad), 1)).isEqualTo(DownloadScheduler.Verdict.NONE);
    assertThat(s.corruptChunks()).isEqualTo(1);
    assertThat(s.providers()).filteredOn(r -> r.peer().equals(A)).singleElement().satisfies(r -> {
      assertThat(r.dropped()).isTrue();
      assertThat(r.droppedBecause()).contains("corrupt chunk");
    });
    // every chunk A held comes back, and only B is asked from now on
    List<DownloadAction> next = drain(s, 1, end);
    assertThat(next).allSatisfy(a -> assertThat(((DownloadAction.FetchChunk) a).provider()).isEqualTo(B));
    // B is at its in-flight limit, so the requeued chunks wait; answering B frees slots
    for (DownloadAction a : fetches) {
      DownloadAction.FetchChunk f = (DownloadAction.FetchChunk) a;
      if (f.provider().equals(B)) s.onReply(B, f.index(), new BlocksMessage.Chunk(f.index(), chunk(f.index())), 2);
    }
    List<Integer> asked = new ArrayList<>();
    for (DownloadAction a : drain(s, 2, end)) asked.add(((DownloadAction.FetchChunk) a).index());
    assertThat(asked).contains(fromA.index());
  }

  @Test
  void withoutVerificationTheCorruptChunkWouldHaveBeenStored() {
    // The attack is real: the corrupt bytes have the right length and index; only the hash tells.
    byte[] bad = chunk(3);
    bad[100] ^= 1;
    assertThat(bad).hasSameSizeAs(chunk(3));
    assertThat(MANIFEST.verifyChunk(3, bad)).isFalse();
    assertThat(MANIFEST.verifyChunk(3, chunk(3))).isTrue();
  }

  @Test
  void aStallIsTimedOutReassignedAndRepeatedStallsDropTheProvider() {
    DownloadScheduler s = new DownloadScheduler(MANIFEST.id(), CONFIG, MANIFEST, new BitSet());
    s.addProvider(A);
    s.addProvider(B);
    List<DownloadAction> end = new ArrayList<>();
    List<DownloadAction> fetches = drain(s, 0, end);
    List<Integer> aIndexes = new ArrayList<>();
    for (DownloadAction a : fetches) {
      DownloadAction.FetchChunk f = (DownloadAction.FetchChunk) a;
      if (f.provider().equals(A)) aIndexes.add(f.index());
      else s.onReply(B, f.index(), new BlocksMessage.Chunk(f.index(), chunk(f.index())), 10);
    }
    // A never answers: at its deadline its chunks go back and B gets them
    List<DownloadAction> after = drain(s, 1000, end);
    assertThat(s.providers()).filteredOn(r -> r.peer().equals(A)).singleElement().satisfies(r -> {
      assertThat(r.timeouts()).isEqualTo(CONFIG.maxTimeoutsPerProvider());
      assertThat(r.droppedBecause()).contains("stalled");
    });
    assertThat(after).allSatisfy(a -> assertThat(((DownloadAction.FetchChunk) a).provider()).isEqualTo(B));
    List<Integer> reassigned = after.stream().map(a -> ((DownloadAction.FetchChunk) a).index()).toList();
    assertThat(reassigned).containsAll(aIndexes);
  }

  @Test
  void aLateReplyThatVerifiesIsStillUsed() {
    DownloadScheduler s = new DownloadScheduler(MANIFEST.id(), CONFIG, MANIFEST, new BitSet());
    s.addProvider(A);
    s.addProvider(B);
    List<DownloadAction> end = new ArrayList<>();
    DownloadAction.FetchChunk late = null;
    for (DownloadAction a : drain(s, 0, end)) {
      DownloadAction.FetchChunk f = (DownloadAction.FetchChunk) a;
      if (f.provider().equals(B)) s.onReply(B, f.index(), new BlocksMessage.Chunk(f.index(), chunk(f.index())), 10);
      else if (late == null) late = f;
    }
    drain(s, 10, end); // B gets more work, due at 1010
    drain(s, 1000, end); // A's requests are past their deadline: requeued, A dropped as stalled
    assertThat(s.providers().get(0).droppedBecause()).contains("stalled");
    int before = s.chunksHeld();
    assertThat(s.onReply(A, late.index(), new BlocksMessage.Chunk(late.index(), chunk(late.index())), 1001)).isEqualTo(DownloadScheduler.Verdict.STORE);
    assertThat(s.chunksHeld()).isEqualTo(before + 1);
  }

  @Test
  void aBadManifestDropsItsSenderAndTheNextProviderIsAsked() {
    DownloadScheduler s = new DownloadScheduler(MANIFEST.id(), CONFIG, null, null);
    s.addProvider(A);
    s.addProvider(B);
    assertThat(s.next(0)).isEqualTo(new DownloadAction.FetchManifest(A));
    BlobManifest other = BlobManifest.of(new byte[5000], 1024);
    s.onReply(A, -1, new BlocksMessage.Manifest(other.encode()), 1);
    assertThat(s.manifest()).isNull();
    assertThat(s.next(1)).isEqualTo(new DownloadAction.FetchManifest(B));
    s.onReply(B, -1, new BlocksMessage.NotFound(), 2);
    assertThat(s.next(2)).isInstanceOfSatisfying(DownloadAction.Failed.class, f -> assertThat(f.reason()).contains("no provider gave a valid manifest"));
  }

  @Test
  void busyProvidersAreLeftAloneForTheBackOff() {
    DownloadScheduler s = new DownloadScheduler(MANIFEST.id(), CONFIG, MANIFEST, new BitSet());
    s.addProvider(A);
    List<DownloadAction> end = new ArrayList<>();
    List<DownloadAction> fetches = drain(s, 0, end);
    for (DownloadAction a : fetches) s.onReply(A, ((DownloadAction.FetchChunk) a).index(), new BlocksMessage.Busy(), 5);
    assertThat(s.next(5)).isEqualTo(new DownloadAction.Wait(5 + CONFIG.busyBackoffMillis()));
    assertThat(s.next(5 + CONFIG.busyBackoffMillis())).isInstanceOf(DownloadAction.FetchChunk.class);
    assertThat(s.providers().get(0).dropped()).isFalse();
  }

  @Test
  void resumeAsksOnlyForMissingChunks() {
    BitSet held = new BitSet();
    held.set(0, MANIFEST.chunkCount() - 2);
    DownloadScheduler s = new DownloadScheduler(MANIFEST.id(), CONFIG, MANIFEST, held);
    s.addProvider(A);
    List<DownloadAction> end = new ArrayList<>();
    List<DownloadAction> fetches = drain(s, 0, end);
    assertThat(fetches).extracting(a -> ((DownloadAction.FetchChunk) a).index()).containsExactlyInAnyOrder(MANIFEST.chunkCount() - 2, MANIFEST.chunkCount() - 1);
  }

  @Test
  void failsWhenEveryProviderIsDropped() {
    DownloadScheduler s = new DownloadScheduler(MANIFEST.id(), CONFIG, MANIFEST, new BitSet());
    s.addProvider(A);
    List<DownloadAction> end = new ArrayList<>();
    for (DownloadAction a : drain(s, 0, end)) s.onReply(A, ((DownloadAction.FetchChunk) a).index(), new BlocksMessage.NotFound(), 1);
    assertThat(s.next(1)).isInstanceOfSatisfying(DownloadAction.Failed.class, f -> assertThat(f.reason()).contains("does not have the blob"));
  }

  @Test
  void randomFaultsNeverStoreABadChunkAndAlwaysEnd() {
    for (long seed = 0; seed < 50; seed++) {
      Random r = new Random(seed);
      DownloadScheduler s = new DownloadScheduler(MANIFEST.id(), CONFIG, null, null);
      List<PeerId> ps = List.of(A, B, C);
      ps.forEach(s::addProvider);
      PeerId honest = ps.get(r.nextInt(3));
      long now = 0;
      BitSet stored = new BitSet();
      List<DownloadAction[]> pending = new ArrayList<>();
      DownloadAction last = null;
      for (int step = 0; step < 10_000 && !s.isFinished(); step++) {
        DownloadAction a = s.next(now);
        last = a;
        if (a instanceof DownloadAction.Wait w) {
          if (pending.isEmpty()) now = w.untilMillis();
          else {
            DownloadAction p = pending.remove(r.nextInt(pending.size()))[0];
            answer(s, p, honest, r, now, stored);
          }
        } else if (a instanceof DownloadAction.FetchChunk || a instanceof DownloadAction.FetchManifest) {
          pending.add(new DownloadAction[] {a});
        }
        now += r.nextInt(5);
      }
      last = s.next(now);
      assertThat(last).as("seed " + seed).isInstanceOf(DownloadAction.Done.class);
      assertThat(stored.cardinality()).as("seed " + seed).isEqualTo(MANIFEST.chunkCount());
    }
  }

  private static void answer(DownloadScheduler s, DownloadAction a, PeerId honest, Random r, long now, BitSet stored) {
    PeerId p = a instanceof DownloadAction.FetchChunk f ? f.provider() : ((DownloadAction.FetchManifest) a).provider();
    int i = a instanceof DownloadAction.FetchChunk f ? f.index() : -1;
    boolean lie = !p.equals(honest) && r.nextInt(3) == 0;
    BlocksMessage.Reply reply;
    if (i < 0) reply = new BlocksMessage.Manifest(lie ? BlobManifest.of(new byte[100], 1024).encode() : MANIFEST.encode());
    else if (lie) {
      byte[] c = chunk(i);
      c[r.nextInt(c.length)] ^= 1;
      reply = new BlocksMessage.Chunk(i, c);
    } else reply = r.nextInt(10) == 0 ? new BlocksMessage.Busy() : new BlocksMessage.Chunk(i, chunk(i));
    if (!p.equals(honest) && r.nextInt(4) == 0) return; // a stall: never answered
    if (s.onReply(p, i, reply, now) == DownloadScheduler.Verdict.STORE) {
      BlocksMessage.Chunk c = (BlocksMessage.Chunk) reply;
      assertThat(MANIFEST.verifyChunk(c.index(), c.data())).isTrue();
      assertThat(stored.get(c.index())).isFalse();
      stored.set(c.index());
    }
  }
}
