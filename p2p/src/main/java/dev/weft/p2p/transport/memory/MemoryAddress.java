package dev.weft.p2p.transport.memory;

import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Protocol;
import java.util.List;
import java.util.Optional;

/**
 * Addresses of the in-memory transport: {@code /memory/<name>} (multiaddr code 777, a UTF-8 name
 * without '/'), optionally followed by {@code /p2p/<peer-id>}. Names are unique within one
 * {@link MemoryNetwork}; {@code /memory/0} asks the network to pick one, like TCP port 0.
 */
public final class MemoryAddress {
  /** Listening on this name means "give me a fresh one". */
  public static final String ANY = "0";

  private MemoryAddress() {}

  public static Multiaddr of(String name) {
    return Multiaddr.of(List.of(Multiaddr.Component.of(Protocol.MEMORY, name)));
  }

  /** The memory name if {@code address} starts with a {@code /memory/} component. */
  public static Optional<String> name(Multiaddr address) {
    List<Multiaddr.Component> cs = address.components();
    if (cs.isEmpty() || cs.get(0).protocol() != Protocol.MEMORY) return Optional.empty();
    return Optional.of(cs.get(0).valueText());
  }
}
