package dev.weft.p2p.protocol.autonat.v1;

import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;

/** AutoNAT v1 messages, decoded ({@link V1Codec}). */
public sealed interface V1Message {
  /**
   * @param peerId the requester's id bytes as sent (a server checks it is the requester's)
   * @param addrs the addresses that decoded; undecodable ones are dropped (v1 answers with an
   *     address, not an index, so order does not matter)
   */
  record Dial(byte[] peerId, List<Multiaddr> addrs) implements V1Message {
    public Dial {
      addrs = List.copyOf(addrs);
    }
  }

  /** @param addr the address dialled successfully, or null */
  record DialResponse(Status status, String statusText, Multiaddr addr) implements V1Message {}

  enum Status {
    OK(0), E_DIAL_ERROR(100), E_DIAL_REFUSED(101), E_BAD_REQUEST(200), E_INTERNAL_ERROR(300);

    public final int wire;

    Status(int wire) {
      this.wire = wire;
    }
  }
}
