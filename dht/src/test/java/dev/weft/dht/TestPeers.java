package dev.weft.dht;

import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Peer fixtures for unit tests. */
public final class TestPeers {
  private TestPeers() {}

  /** A valid Ed25519-style PeerId from the seeded random (identity multihash of a key protobuf). */
  public static PeerId peerId(Random r) {
    return PeerId.fromPublicKey(TestEd25519.generate(r).publicKey());
  }

  /** {@code /ip4/10.0.x.y/tcp/4001}. */
  public static byte[] addr(int n) {
    return new byte[] {4, 10, 0, (byte) (n >> 8), (byte) n, 6, 0x0F, (byte) 0xA1};
  }

  public static PeerInfo peer(Random r) {
    return PeerInfo.of(peerId(r), List.of(addr(r.nextInt(65536))));
  }

  public static List<PeerInfo> peers(Random r, int n) {
    List<PeerInfo> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(peer(r));
    return out;
  }
}
