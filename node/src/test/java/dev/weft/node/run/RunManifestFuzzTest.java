package dev.weft.node.run;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.crypto.Keys;
import java.util.Arrays;

/**
 * Manifest bytes from the network (a DHT value's payload, a gossip message) either decode to a
 * manifest that passed validation and re-encodes to the same bytes, or fail with
 * {@link InvalidManifestException}; nothing else escapes.
 */
class RunManifestFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void decodeCanonical(byte[] data) {
    try {
      RunManifest m = ManifestJson.decode(data);
      if (!Arrays.equals(ManifestJson.encode(m), data)) throw new AssertionError("accepted a non-canonical manifest");
      if (!ManifestValidator.validate(m).isEmpty()) throw new AssertionError("accepted an invalid manifest");
    } catch (InvalidManifestException expected) {
      // rejected cleanly
    }
  }

  @FuzzTest(maxDuration = "20s")
  void gossipMessage(byte[] data) {
    RunGossip.verify(data, 1_800_000_000_000L, Keys::unmarshalPublicKey).ifPresent(s -> {
      if (!s.manifest().coordinator().equals(dev.weft.p2p.api.PeerId.fromPublicKey(Keys.unmarshalPublicKey(pub(s))))) {
        throw new AssertionError("accepted a manifest signed by someone else than its coordinator");
      }
    });
  }

  private static byte[] pub(SignedManifest.Signed s) {
    try {
      return dev.weft.dht.pb.WeftRecordProto.SignedValue.parseFrom(s.value()).getPublicKey().toByteArray();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("accepted an unparsable value", e);
    }
  }
}
