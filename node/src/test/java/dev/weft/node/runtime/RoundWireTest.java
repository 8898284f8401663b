package dev.weft.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.runtime.RoundMessage.Contribution;
import dev.weft.node.runtime.RoundMessage.Digest;
import dev.weft.node.runtime.RoundMessage.Seal;
import dev.weft.node.runtime.RoundMessage.SealEntry;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.Ed25519;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundWireTest {
  static final RoundWire.Limits LIMITS = new RoundWire.Limits(4096, 64);

  static PeerId peer(int i) {
    return PeerId.fromPublicKey(Ed25519.fromSeedNumber(i).publicKey());
  }

  static Contribution contribution() {
    return new Contribution("run-a", 3, peer(1), new byte[32], 640, new byte[] {1, 2, 3, 4});
  }

  static Seal seal() {
    List<SealEntry> e = new java.util.ArrayList<>(List.of(new SealEntry(peer(1), Digest.of(new byte[] {1})), new SealEntry(peer(2), Digest.of(new byte[] {2}))));
    e.sort(java.util.Comparator.comparing(SealEntry::peer));
    return new Seal("run-a", 3, 1, peer(2), e);
  }

  @Test
  void bothMessagesRoundTrip() throws Exception {
    Contribution c = (Contribution) RoundWire.decode(RoundWire.encode(contribution()), LIMITS);
    assertThat(c.peer()).isEqualTo(peer(1));
    assertThat(c.round()).isEqualTo(3);
    assertThat(c.payload()).containsExactly(1, 2, 3, 4);
    assertThat(c.digest()).isEqualTo(contribution().digest());
    Seal s = (Seal) RoundWire.decode(RoundWire.encode(seal()), LIMITS);
    assertThat(s.entries()).isEqualTo(seal().entries());
    assertThat(s.view()).isEqualTo(1);
  }

  @Test
  void oversizedPayloadIsRefusedFromItsLength() {
    byte[] big = RoundWire.encode(new Contribution("run-a", 0, peer(1), new byte[32], 0, new byte[5000]));
    assertThatThrownBy(() -> RoundWire.decode(big, LIMITS)).isInstanceOf(RoundWireException.class).hasMessageContaining("limit 4096");
  }

  @Test
  void truncatedTrailingAndUnsortedAreRejected() {
    byte[] ok = RoundWire.encode(seal());
    assertThatThrownBy(() -> RoundWire.decode(java.util.Arrays.copyOf(ok, ok.length - 1), LIMITS)).isInstanceOf(RoundWireException.class);
    assertThatThrownBy(() -> RoundWire.decode(java.util.Arrays.copyOf(ok, ok.length + 1), LIMITS)).isInstanceOf(RoundWireException.class).hasMessageContaining("trailing");
    List<SealEntry> e = seal().entries();
    // Swap the two entries by hand in the bytes: encode a seal whose entries are reversed.
    byte[] first = RoundWire.encode(new Seal("run-a", 3, 1, peer(2), List.of(e.get(0))));
    assertThat(first).isNotEmpty();
    assertThatThrownBy(() -> new Seal("run-a", 3, 1, peer(2), List.of(e.get(1), e.get(0)))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tooManySealEntriesAreRefused() {
    List<SealEntry> many = new java.util.ArrayList<>();
    for (int i = 0; i < 70; i++) many.add(new SealEntry(peer(100 + i), Digest.of(new byte[] {(byte) i})));
    many.sort(java.util.Comparator.comparing(SealEntry::peer));
    byte[] b = RoundWire.encode(new Seal("run-a", 0, 0, peer(1), many));
    assertThatThrownBy(() -> RoundWire.decode(b, LIMITS)).isInstanceOf(RoundWireException.class).hasMessageContaining("70 entries");
  }

  /** Regenerates the fuzz seed corpus (run by hand when the format changes). */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of("node/src/test/resources/dev/weft/node/runtime/RoundWireFuzzTestInputs/decode");
    Files.createDirectories(dir);
    Files.write(dir.resolve("contribution"), RoundWire.encode(contribution()));
    Files.write(dir.resolve("seal"), RoundWire.encode(seal()));
    byte[] s = RoundWire.encode(seal());
    Files.write(dir.resolve("truncated_seal"), java.util.Arrays.copyOf(s, s.length / 2));
  }
}
