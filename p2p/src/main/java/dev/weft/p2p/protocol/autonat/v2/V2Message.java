package dev.weft.p2p.protocol.autonat.v2;

import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;
import java.util.Optional;

/** The messages of AutoNAT v2's dial-request stream, decoded ({@link V2Codec}). */
public sealed interface V2Message {
  /**
   * @param addrs the addresses in the client's order; an entry that did not decode is empty, so
   *     indexes stay those of the wire
   */
  record DialRequest(List<Optional<Multiaddr>> addrs, long nonce) implements V2Message {
    public DialRequest {
      addrs = List.copyOf(addrs);
    }

    public static DialRequest of(List<Multiaddr> addrs, long nonce) {
      return new DialRequest(addrs.stream().map(Optional::of).toList(), nonce);
    }
  }

  record DialResponse(ResponseStatus status, int addrIdx, DialStatus dialStatus) implements V2Message {}

  record DialDataRequest(int addrIdx, long numBytes) implements V2Message {}

  /** Dial data: only its length matters, so only the length is kept. */
  record DialDataResponse(int dataBytes) implements V2Message {}

  enum ResponseStatus {
    E_INTERNAL_ERROR(0), E_REQUEST_REJECTED(100), E_DIAL_REFUSED(101), OK(200);

    public final int wire;

    ResponseStatus(int wire) {
      this.wire = wire;
    }
  }

  enum DialStatus {
    UNUSED(0), E_DIAL_ERROR(100), E_DIAL_BACK_ERROR(101), OK(200);

    public final int wire;

    DialStatus(int wire) {
      this.wire = wire;
    }
  }
}
