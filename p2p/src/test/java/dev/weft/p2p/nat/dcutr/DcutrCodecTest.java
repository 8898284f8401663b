package dev.weft.p2p.nat.dcutr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.nat.dcutr.pb.HolePunch;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DcutrCodecTest {
  @Test void roundTripsAndMatchesTheSpecsWireNumbers() throws Exception {
    DcutrMessage c = new DcutrMessage.Connect(List.of(Multiaddr.parse("/ip4/198.51.100.7/tcp/4001")));
    assertThat(DcutrCodec.decode(DcutrCodec.encode(c))).isEqualTo(c);
    assertThat(HolePunch.parseFrom(DcutrCodec.encode(new DcutrMessage.Sync())).getType().getNumber()).isEqualTo(300);
    assertThat(HolePunch.parseFrom(DcutrCodec.encode(c)).getType().getNumber()).isEqualTo(100);
  }

  @Test void refusesMissingTypeTooManyAddressesAndOversizedMessages() {
    assertThatThrownBy(() -> DcutrCodec.decode(new byte[0])).isInstanceOf(ProtocolViolationException.class);
    HolePunch.Builder many = HolePunch.newBuilder().setType(HolePunch.Type.CONNECT);
    for (int i = 0; i <= DcutrCodec.MAX_ADDRS; i++) many.addObsAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/10.0.0." + i + "/tcp/1").bytes()));
    assertThatThrownBy(() -> DcutrCodec.decode(many.build().toByteArray())).hasMessageContaining("addresses");
    assertThatThrownBy(() -> DcutrCodec.decode(new byte[DcutrCodec.MAX_MESSAGE_BYTES + 1])).hasMessageContaining("bytes");
  }

  @Test void undecodableAddressesAreDroppedTheRestKept() throws Exception {
    byte[] body = HolePunch.newBuilder().setType(HolePunch.Type.CONNECT).addObsAddrs(ByteString.copyFrom(new byte[] {(byte) 0xFF}))
        .addObsAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/198.51.100.7/tcp/4001").bytes())).build().toByteArray();
    assertThat(((DcutrMessage.Connect) DcutrCodec.decode(body)).addrs()).containsExactly(Multiaddr.parse("/ip4/198.51.100.7/tcp/4001"));
  }

  /** The checked-in seeds are today's encoding (refresh with {@code -Dweft.fuzz.writeSeeds=true}). */
  @Test void checkedInSeedsMatchTodaysEncoding() throws Exception {
    Path root = Path.of("src/test/resources");
    boolean write = Boolean.getBoolean("weft.fuzz.writeSeeds");
    for (Map.Entry<String, Map<String, byte[]>> corpus : DcutrFuzzSeeds.corpora().entrySet()) {
      Path dir = root.resolve(corpus.getKey());
      if (write) Files.createDirectories(dir);
      for (var seed : corpus.getValue().entrySet()) {
        Path f = dir.resolve(seed.getKey());
        if (write && (!Files.exists(f) || !Arrays.equals(Files.readAllBytes(f), seed.getValue()))) Files.write(f, seed.getValue());
        assertThat(Files.readAllBytes(f)).as("seed %s is stale; rerun with -Dweft.fuzz.writeSeeds=true", f).isEqualTo(seed.getValue());
      }
    }
  }
}
