package dev.weft.crdt.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.crdt.delta.QuorumCertificate;
import dev.weft.crdt.delta.Schema;
import dev.weft.crdt.delta.SignedDelta;
import dev.weft.crdt.delta.Verdict;
import dev.weft.crdt.delta.WriteRule;
import dev.weft.crdt.run.RunSchema;
import dev.weft.crdt.sync.SyncConfig;
import dev.weft.crdt.type.Bytes;
import dev.weft.crdt.type.CrdtType;
import dev.weft.crdt.type.Hlc;
import dev.weft.crdt.type.HybridClock;
import dev.weft.crdt.type.LwwRegister;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.crypto.PrivKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each lie a writer can tell, refused by a replica; and, beside each defence, the same attack
 * succeeding on a replica configured without it, so the test shows the defence is what stops it.
 */
class ByzantineWriterTest {
  static final String RUN = "run-1";
  static final long NOW = 1_767_225_600_000L;
  static final PrivKey COORD = Ed25519.fromSeedNumber(1);
  static final PrivKey HONEST = Ed25519.fromSeedNumber(2);
  static final PrivKey LIAR = Ed25519.fromSeedNumber(3);
  static final PeerId HONEST_ID = PeerId.fromPublicKey(HONEST.publicKey());
  static final PeerId LIAR_ID = PeerId.fromPublicKey(LIAR.publicKey());
  static final Schema SCHEMA = RunSchema.standard(PeerId.fromPublicKey(COORD.publicKey()),
      QuorumCertificate.verifier(Set.of(PeerId.fromPublicKey(COORD.publicKey()), HONEST_ID, PeerId.fromPublicKey(Ed25519.fromSeedNumber(4).publicKey())), 2), null);
  /** The same keys, but anyone may write anything: the schema's ACL turned off. */
  static final Schema OPEN = Schema.builder(PeerId.fromPublicKey(COORD.publicKey()))
      .declare("members/{peer}", CrdtType.LWW_REGISTER, anyone(), 1 << 20)
      .declare("contrib/{round}/{peer}", CrdtType.LWW_REGISTER, anyone(), 1 << 20)
      .build();

  /** A rule that lets any writer through (a certificate check that accepts everything). */
  static WriteRule anyone() {
    return new WriteRule.QuorumCertified((k, v, c) -> true);
  }

  static Replica replica(PrivKey key, Schema schema, long driftMillis, int maxDeltaBytes) {
    return new Replica(RUN, schema, key, new HybridClock(() -> NOW, driftMillis), new ReplicaConfig(maxDeltaBytes, driftMillis, 4096), ReplicaStore.NONE);
  }

  static Replica replica(PrivKey key) {
    return replica(key, SCHEMA, 60_000, 64 << 10);
  }

  static SignedDelta put(PrivKey signer, String run, long seq, Hlc hlc, String key, Bytes v) {
    return SignedDelta.sign(signer, run, seq, hlc, key, LwwRegister.of(hlc, PeerId.fromPublicKey(signer.publicKey()).toBase58(), v));
  }

  static final Hlc T = new Hlc(NOW, 0);
  static final String HONEST_KEY = "members/" + HONEST_ID.toBase58();

  @Test void forgedSignatureIsRejectedWhileTheGenuineDeltaIsAccepted() {
    SignedDelta forged = SignedDelta.forge(LIAR, HONEST_ID, RUN, 1, T, HONEST_KEY, LwwRegister.of(T, HONEST_ID.toBase58(), Bytes.utf8("evil")));
    Replica r = replica(COORD);
    assertThat(r.receive(forged.encoded()).reason()).isEqualTo("bad signature");
    assertThat(r.entries()).isEmpty();
    SignedDelta genuine = put(HONEST, RUN, 1, T, HONEST_KEY, Bytes.utf8("evil"));
    assertThat(r.receive(genuine.encoded()).accepted()).isTrue();
  }

  @Test void writesOutsideTheAclAreRejectedAndWouldOtherwiseLand() {
    SignedDelta intrusion = put(LIAR, RUN, 1, T, HONEST_KEY, Bytes.utf8("evil"));
    Replica strict = replica(COORD);
    assertThat(strict.receive(intrusion.encoded()).reason()).contains("may not write");
    SignedDelta manifest = put(LIAR, RUN, 2, T, "manifest/lr", Bytes.utf8("100"));
    assertThat(strict.receive(manifest.encoded()).kind()).isEqualTo(Verdict.Kind.REJECT);
    Bytes weak = QuorumCertificate.sign("seal/1", Bytes.utf8("d"), List.of(HONEST, LIAR)).encode();
    assertThat(strict.receive(put(LIAR, RUN, 3, T, "seal/1", weak).encoded()).reason()).contains("may not write");
    Bytes strong = QuorumCertificate.sign("seal/1", Bytes.utf8("d"), List.of(HONEST, COORD)).encode();
    assertThat(strict.receive(put(LIAR, RUN, 4, T, "seal/1", strong).encoded()).accepted()).isTrue();
    assertThat(strict.receive(put(LIAR, RUN, 5, T, "bans/" + HONEST_ID.toBase58(), Bytes.utf8("trust me")).encoded()).kind()).isEqualTo(Verdict.Kind.REJECT);

    Replica open = replica(COORD, OPEN, 60_000, 64 << 10);
    assertThat(open.receive(intrusion.encoded()).accepted()).isTrue();
  }

  @Test void aClockTenYearsAheadIsRefusedAndWouldOtherwiseWinForever() {
    Hlc future = new Hlc(NOW + 10L * 365 * 24 * 3600 * 1000, 0);
    String key = "members/" + LIAR_ID.toBase58();
    SignedDelta fromTheFuture = put(LIAR, RUN, 1, future, key, Bytes.utf8("future"));
    assertThat(replica(COORD).receive(fromTheFuture.encoded()).reason()).contains("too far in the future");
    // A stamp inside the register that differs from the signed clock is refused as well.
    SignedDelta hidden = SignedDelta.sign(LIAR, RUN, 1, T, key, LwwRegister.of(future, LIAR_ID.toBase58(), Bytes.utf8("future")));
    assertThat(replica(COORD).receive(hidden.encoded()).reason()).contains("is not the delta's clock");

    long twentyYears = 20L * 365 * 24 * 3600 * 1000;
    Replica lax = replica(COORD, SCHEMA, twentyYears, 64 << 10);
    assertThat(lax.receive(fromTheFuture.encoded()).accepted()).isTrue();
    assertThat(lax.receive(put(LIAR, RUN, 2, new Hlc(NOW + 1, 0), key, Bytes.utf8("now")).encoded()).accepted()).isTrue();
    assertThat(((LwwRegister) lax.get(key)).value()).isEqualTo(Bytes.utf8("future"));
  }

  @Test void oversizedDeltasAreRejectedBeforeDecoding() {
    String key = "members/" + LIAR_ID.toBase58();
    SignedDelta big = put(LIAR, RUN, 1, T, key, Bytes.of(new byte[8_000]));
    assertThat(replica(COORD).receive(big.encoded()).reason()).contains("over 4096 bytes");
    assertThat(replica(COORD, SCHEMA, 60_000, 1024).receive(big.encoded()).reason()).startsWith("oversized delta");
    assertThat(replica(COORD, OPEN, 60_000, 1 << 20).receive(big.encoded()).accepted()).isTrue();
  }

  @Test void replaysAreDuplicatesAndReplaysIntoAnotherRunAreRejected() {
    Replica r = replica(COORD);
    SignedDelta d = put(HONEST, RUN, 1, T, HONEST_KEY, Bytes.utf8("me"));
    assertThat(r.receive(d.encoded()).accepted()).isTrue();
    assertThat(r.receive(d.encoded())).isEqualTo(Verdict.DUPLICATE);
    SignedDelta otherRun = put(HONEST, "run-2", 2, T, HONEST_KEY, Bytes.utf8("old"));
    assertThat(r.receive(otherRun.encoded()).reason()).contains("for run run-2");
  }

  @Test void equivocationSplitsReplicasUntilAntiEntropyMakesItEvidenceAndBothExcludeTheLiar() {
    String key = "contrib/1/" + LIAR_ID.toBase58();
    SignedDelta x = put(LIAR, RUN, 1, T, key, Bytes.utf8("left"));
    SignedDelta y = put(LIAR, RUN, 1, T, key, Bytes.utf8("right"));
    Replica a = replica(COORD);
    Replica b = replica(HONEST);
    assertThat(a.receive(x.encoded()).accepted()).isTrue();
    assertThat(b.receive(y.encoded()).accepted()).isTrue();
    // The attack: both replicas cover the liar's seq 1, their version vectors agree, their states do not.
    assertThat(a.digest().writer(LIAR_ID).contiguous()).isEqualTo(b.digest().writer(LIAR_ID).contiguous());
    assertThat(a.stateRoot()).isNotEqualTo(b.stateRoot());

    SessionPump.sync(a, b, SyncConfig.defaults());
    SessionPump.sync(a, b, SyncConfig.defaults());
    assertThat(a.equivocators()).containsOnlyKeys(LIAR_ID);
    assertThat(b.equivocators()).containsOnlyKeys(LIAR_ID);
    assertThat(a.entries()).doesNotContainKey(key).containsKey("bans/" + LIAR_ID.toBase58());
    assertThat(a.stateRoot()).isEqualTo(b.stateRoot());
    // Later writes by the liar are refused.
    assertThat(a.receive(put(LIAR, RUN, 2, T, "members/" + LIAR_ID.toBase58(), Bytes.utf8("hi")).encoded()).reason()).contains("equivocated");
    // A third replica learns of it from the ban alone and excludes the liar too.
    Replica c = replica(Ed25519.fromSeedNumber(9));
    c.receive(x.encoded());
    SessionPump.sync(c, a, SyncConfig.defaults());
    assertThat(c.equivocators()).containsOnlyKeys(LIAR_ID);
    assertThat(c.stateRoot()).isEqualTo(a.stateRoot());
  }
}
