package dev.weft.p2p.nat.mapping;

import dev.weft.p2p.nat.mapping.wire.UdpExchange;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeoutException;

/**
 * A NAT-PMP client (RFC 6886) for one gateway: external address, TCP/UDP mappings, removal.
 * Blocking: call it from a virtual thread or the CLI, never from an event loop. Retransmits as
 * the RFC says (250 ms, doubling), up to {@code attempts} times; answers from anyone but the
 * gateway's port 5351, and malformed answers, are ignored while waiting.
 */
public final class NatPmpClient {
  /** The RFC's first retransmission interval. */
  static final int INITIAL_TIMEOUT_MILLIS = 250;

  private final InetSocketAddress gateway;
  private final int attempts;

  /** @param attempts 1..9 (the RFC's 9 take about 64 s in all; 3 fail within 1.75 s) */
  public NatPmpClient(InetAddress gateway, int attempts) {
    if (attempts < 1 || attempts > 9) throw new IllegalArgumentException("attempts must be in [1, 9]: " + attempts);
    this.gateway = new InetSocketAddress(gateway, NatPmpCodec.PORT);
    this.attempts = attempts;
  }

  public NatPmpCodec.ExternalAddress externalAddress() throws IOException, TimeoutException {
    byte[] resp = exchange(NatPmpCodec.externalAddressRequest(), NatPmpCodec.OP_EXTERNAL_ADDRESS);
    try {
      return NatPmpCodec.decodeExternalAddress(resp, resp.length);
    } catch (ProtocolViolationException e) {
      throw new IOException(e);
    }
  }

  /** Asks for {@code internalPort} to be mapped for {@code lifetimeSeconds} (0 removes it). */
  public NatPmpCodec.Mapping map(int opcode, int internalPort, int suggestedExternalPort, long lifetimeSeconds) throws IOException, TimeoutException {
    byte[] resp = exchange(NatPmpCodec.mapRequest(opcode, internalPort, suggestedExternalPort, lifetimeSeconds), opcode);
    try {
      return NatPmpCodec.decodeMapping(resp, resp.length, opcode);
    } catch (ProtocolViolationException e) {
      throw new IOException(e);
    }
  }

  private byte[] exchange(byte[] request, int opcode) throws IOException, TimeoutException {
    return UdpExchange.exchange(request, gateway, gateway, INITIAL_TIMEOUT_MILLIS, attempts, 64,
        b -> b.length >= 2 && b[0] == 0 && (b[1] & 0xFF) == 128 + opcode ? java.util.Optional.of(b) : java.util.Optional.empty(),
        "no NAT-PMP answer from " + gateway + " after " + attempts + " attempts");
  }
}
