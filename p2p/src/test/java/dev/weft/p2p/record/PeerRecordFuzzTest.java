package dev.weft.p2p.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.multiformats.Multiaddr;

/**
 * Any bytes given to {@link PeerRecord#open}: a record or an {@link InvalidRecordException},
 * nothing else; and whatever opens is signed by its own peer and re-encodes to a record that opens
 * to the same fields. The seeds are real envelopes (PeerRecordFuzzTestInputs/openAnything).
 */
class PeerRecordFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void openAnything(byte[] data) throws InvalidRecordException {
    PeerRecord r;
    try {
      r = PeerRecord.open(data);
    } catch (InvalidRecordException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(r.addresses().size()).isLessThanOrEqualTo(PeerRecord.MAX_ADDRESSES);
    for (Multiaddr a : r.addresses()) assertThat(Multiaddr.fromBytes(a.bytes())).isEqualTo(a);
    assertThat(PeerRecord.decode(r.encode())).isEqualTo(r);
  }
}
