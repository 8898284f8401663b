package dev.weft.p2p.multiformats;

import dev.weft.p2p.api.PeerId;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A multiaddr (multiformats/multiaddr.md): a list of protocol components, in text
 * {@code (/<name>[/<value>])+} and in binary {@code (<varint code>[<value>])+}, where variable-size
 * values carry a varint length prefix. The protocols are those of {@link Protocol}.
 *
 * <p>Immutable and thread-safe; equal when the binary forms are equal. Every instance is valid:
 * decoding checks each value, so {@link #toString()} never fails and {@code parse(toString())}
 * gives the same multiaddr back ({@code /unix} must therefore come last). Decoding is bounded by {@link #MAX_BYTES} and {@link
 * #MAX_COMPONENTS}; malformed input throws {@link IllegalArgumentException}.
 */
public final class Multiaddr {
  /** Largest binary form accepted; real addresses (even relayed webtransport ones) stay far below. */
  public static final int MAX_BYTES = 1024;
  /** Most components accepted; a relayed address with certhashes has about ten. */
  public static final int MAX_COMPONENTS = 32;
  /** Longest text form accepted by {@link #parse}. */
  public static final int MAX_TEXT_CHARS = 4096;

  private static final Multiaddr EMPTY = new Multiaddr(new byte[0], List.of());

  private final byte[] bytes;
  private final List<Component> components;

  private Multiaddr(byte[] bytes, List<Component> components) {
    this.bytes = bytes;
    this.components = components;
  }

  /** One component: a protocol and its value bytes (empty for protocols without a value). */
  public record Component(Protocol protocol, byte[] value) {
    public Component {
      value = value.clone();
      int size = protocol.sizeBits();
      if (size >= 0 && value.length * 8 != size) {
        throw new IllegalArgumentException(protocol + " value must be " + size / 8 + " bytes, not " + value.length);
      }
      protocol.codec.validate(value);
    }

    /** Builds a component from the text of its value. */
    public static Component of(Protocol protocol, String valueText) {
      return new Component(protocol, protocol.codec.toBytes(valueText));
    }

    public int code() {
      return protocol.code();
    }

    public String name() {
      return protocol.protocolName();
    }

    @Override public byte[] value() {
      return value.clone();
    }

    /** The value in its text form; empty for protocols without a value. */
    public String valueText() {
      return protocol.codec.toText(value);
    }

    @Override public boolean equals(Object o) {
      return o instanceof Component c && c.protocol == protocol && Arrays.equals(c.value, value);
    }

    @Override public int hashCode() {
      return protocol.hashCode() * 31 + Arrays.hashCode(value);
    }

    /** {@code /name} or {@code /name/value}. */
    @Override public String toString() {
      if (!protocol.hasValue()) return "/" + name();
      String text = valueText();
      return protocol.isPath() ? "/" + name() + text : "/" + name() + "/" + text;
    }

    void writeTo(ByteArrayOutputStream out) {
      Varint.write(protocol.code(), out);
      if (protocol.sizeBits() == Protocol.VARIABLE) Varint.write(value.length, out);
      out.write(value, 0, value.length);
    }
  }

  /** The multiaddr with no components (the identity of {@link #encapsulate}). */
  public static Multiaddr empty() {
    return EMPTY;
  }

  public static Multiaddr of(List<Component> components) {
    if (components.size() > MAX_COMPONENTS) throw new IllegalArgumentException("more than " + MAX_COMPONENTS + " multiaddr components");
    checkPathIsLast(components);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : components) c.writeTo(out);
    if (out.size() > MAX_BYTES) throw new IllegalArgumentException("multiaddr longer than " + MAX_BYTES + " bytes");
    return new Multiaddr(out.toByteArray(), List.copyOf(components));
  }

  /**
   * Parses the text form, e.g. {@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...}. {@code /ipfs} is
   * read as {@code /p2p}; peer ids may be base58 or CIDs. A single trailing '/' is allowed.
   *
   * @throws IllegalArgumentException on unknown protocols, missing or malformed values
   */
  public static Multiaddr parse(String text) {
    if (text.length() > MAX_TEXT_CHARS) throw new IllegalArgumentException("multiaddr text longer than " + MAX_TEXT_CHARS);
    if (text.isEmpty() || text.charAt(0) != '/') throw new IllegalArgumentException("multiaddr must start with '/': '" + abbreviate(text) + "'");
    String body = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    List<Component> out = new ArrayList<>();
    int pos = 1;
    while (pos <= body.length() && !body.isEmpty()) {
      int end = nextSlash(body, pos);
      String name = body.substring(pos, end);
      if (name.isEmpty()) throw new IllegalArgumentException("empty protocol name in '" + abbreviate(text) + "'");
      Protocol p = Protocol.forName(name);
      if (!p.hasValue()) {
        out.add(new Component(p, new byte[0]));
        pos = end + 1;
      } else if (p.isPath()) {
        if (end >= text.length()) throw new IllegalArgumentException("/" + name + " needs a path");
        out.add(Component.of(p, text.substring(end)));
        pos = Integer.MAX_VALUE;
      } else {
        if (end >= body.length()) throw new IllegalArgumentException("/" + name + " needs a value");
        int valueEnd = nextSlash(body, end + 1);
        String value = body.substring(end + 1, valueEnd);
        try {
          out.add(Component.of(p, value));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("invalid /" + name + " value '" + abbreviate(value) + "': " + e.getMessage(), e);
        }
        pos = valueEnd + 1;
      }
      if (out.size() > MAX_COMPONENTS) throw new IllegalArgumentException("more than " + MAX_COMPONENTS + " multiaddr components");
    }
    return of(out);
  }

  /**
   * Decodes the binary form (the whole array).
   *
   * @throws IllegalArgumentException on unknown codes, truncation, invalid values or a multiaddr
   *     over the size limits
   */
  public static Multiaddr fromBytes(byte[] bytes) {
    if (bytes.length > MAX_BYTES) throw new IllegalArgumentException("multiaddr longer than " + MAX_BYTES + " bytes: " + bytes.length);
    List<Component> out = new ArrayList<>();
    int pos = 0;
    while (pos < bytes.length) {
      if (out.size() == MAX_COMPONENTS) throw new IllegalArgumentException("more than " + MAX_COMPONENTS + " multiaddr components");
      Varint.Decoded code = Varint.decode(bytes, pos);
      Protocol p = Protocol.forCode(code.value());
      pos += code.length();
      int length;
      if (p.sizeBits() == Protocol.VARIABLE) {
        Varint.Decoded len = Varint.decode(bytes, pos);
        pos += len.length();
        if (len.value() > bytes.length - pos) throw new IllegalArgumentException("truncated /" + p + " value");
        length = (int) len.value();
      } else {
        length = p.sizeBits() / 8;
        if (length > bytes.length - pos) throw new IllegalArgumentException("truncated /" + p + " value");
      }
      try {
        out.add(new Component(p, Arrays.copyOfRange(bytes, pos, pos + length)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid /" + p + " value: " + e.getMessage(), e);
      }
      pos += length;
    }
    checkPathIsLast(out);
    return new Multiaddr(bytes.clone(), List.copyOf(out));
  }

  /**
   * A path value ({@code /unix/...}) takes the rest of the text form, so anything after it could
   * not be written as text; such a multiaddr is refused in every form.
   */
  private static void checkPathIsLast(List<Component> components) {
    for (int i = 0; i < components.size() - 1; i++) {
      if (components.get(i).protocol().isPath()) {
        throw new IllegalArgumentException("/" + components.get(i).name() + " must be the last component (its path takes the rest of the address)");
      }
    }
  }

  /** The address of a TCP socket: {@code /ip4|ip6|dns/<host>/tcp/<port>}, dns when unresolved. */
  public static Multiaddr tcp(InetSocketAddress address) {
    return of(List.of(host(address), new Component(Protocol.TCP, ValueCodecs.PORT.toBytes(Integer.toString(address.getPort())))));
  }

  private static Component host(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    if (ip == null) return Component.of(Protocol.DNS, address.getHostString());
    return new Component(ip instanceof Inet4Address ? Protocol.IP4 : Protocol.IP6, ip.getAddress());
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public List<Component> components() {
    return components;
  }

  public boolean isEmpty() {
    return components.isEmpty();
  }

  /** This address followed by {@code inner}. */
  public Multiaddr encapsulate(Multiaddr inner) {
    List<Component> all = new ArrayList<>(components);
    all.addAll(inner.components);
    return of(all);
  }

  public Multiaddr encapsulate(String inner) {
    return encapsulate(parse(inner));
  }

  /** Without its last component (empty stays empty). */
  public Multiaddr decapsulateLast() {
    return components.isEmpty() ? this : of(components.subList(0, components.size() - 1));
  }

  /** Everything before the last component of protocol {@code p}; this address if there is none. */
  public Multiaddr decapsulate(Protocol p) {
    for (int i = components.size() - 1; i >= 0; i--) {
      if (components.get(i).protocol() == p) return of(components.subList(0, i));
    }
    return this;
  }

  public boolean has(Protocol p) {
    for (Component c : components) if (c.protocol() == p) return true;
    return false;
  }

  /** The value text of the first component of protocol {@code p}. */
  public Optional<String> valueOf(Protocol p) {
    for (Component c : components) if (c.protocol() == p) return Optional.of(c.valueText());
    return Optional.empty();
  }

  /**
   * The peer this address reaches: the last component's peer id when that is {@code /p2p}. A
   * relay address ending in {@code /p2p-circuit} names no peer (its {@code /p2p} is the relay's).
   */
  public Optional<PeerId> peerId() {
    if (components.isEmpty()) return Optional.empty();
    Component last = components.get(components.size() - 1);
    return last.protocol() == Protocol.P2P ? Optional.of(PeerId.fromBytes(last.value)) : Optional.empty();
  }

  /** This address ending in {@code /p2p/<peer>}, replacing a trailing peer id if there is one. */
  public Multiaddr withPeerId(PeerId peer) {
    List<Component> all = new ArrayList<>(withoutPeerId().components);
    all.add(new Component(Protocol.P2P, peer.bytes()));
    return of(all);
  }

  /** Without a trailing {@code /p2p/<peer>}. */
  public Multiaddr withoutPeerId() {
    return peerId().isPresent() ? decapsulateLast() : this;
  }

  /**
   * The socket address of a TCP multiaddr: {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>...}
   * (an {@code /ip6zone} may precede {@code /ip6}); components after {@code /tcp} are ignored. DNS
   * names are returned unresolved; no lookup happens here.
   *
   * @throws IllegalArgumentException if the address does not start that way
   */
  public InetSocketAddress toInetSocketAddress() {
    int i = 0;
    String zone = null;
    if (i < components.size() && components.get(i).protocol() == Protocol.IP6ZONE) {
      zone = components.get(i).valueText();
      i++;
    }
    if (i + 1 >= components.size() || components.get(i + 1).protocol() != Protocol.TCP) {
      throw new IllegalArgumentException("not a TCP multiaddr: " + this);
    }
    Component host = components.get(i);
    int port = Integer.parseInt(components.get(i + 1).valueText());
    try {
      return switch (host.protocol()) {
        case IP4 -> new InetSocketAddress(InetAddress.getByAddress(host.value), port);
        case IP6 -> new InetSocketAddress(zone == null ? InetAddress.getByAddress(host.value) : scoped(host.value, zone), port);
        case DNS, DNS4, DNS6 -> {
          if (zone != null) throw new IllegalArgumentException("ip6zone before a DNS name: " + this);
          yield InetSocketAddress.createUnresolved(host.valueText(), port);
        }
        default -> throw new IllegalArgumentException("not a TCP multiaddr: " + this);
      };
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("invalid IP address in " + this, e);
    }
  }

  /** A link-local address with its zone: a numeric scope id or the name of a local interface. */
  private static InetAddress scoped(byte[] ip, String zone) throws UnknownHostException {
    if (!zone.isEmpty() && zone.chars().allMatch(c -> c >= '0' && c <= '9') && zone.length() < 10) {
      return Inet6Address.getByAddress(null, ip, Integer.parseInt(zone));
    }
    NetworkInterface nif;
    try {
      nif = NetworkInterface.getByName(zone);
    } catch (SocketException e) {
      throw new IllegalArgumentException("cannot look up IPv6 zone '" + zone + "'", e);
    }
    if (nif == null) throw new IllegalArgumentException("no local network interface for IPv6 zone '" + zone + "'");
    return Inet6Address.getByAddress(null, ip, nif);
  }

  /** Whether the first component is a loopback IP (127.0.0.0/8, ::1, or IPv4-mapped loopback). */
  public boolean isLoopback() {
    byte[] v4 = firstIp4();
    if (v4 != null) return v4[0] == 127;
    byte[] v6 = firstIp6();
    if (v6 == null) return false;
    for (int i = 0; i < 15; i++) if (v6[i] != 0) return false;
    return v6[15] == 1;
  }

  /**
   * Whether the first component is a private-use IP: 10/8, 172.16/12, 192.168/16, 100.64/10
   * (carrier-grade NAT), 169.254/16 and fe80::/10 (link-local), fc00::/7 (unique local).
   */
  public boolean isPrivate() {
    byte[] v4 = firstIp4();
    if (v4 != null) {
      int a = v4[0] & 0xFF;
      int b = v4[1] & 0xFF;
      return a == 10 || (a == 172 && b >= 16 && b < 32) || (a == 192 && b == 168) || (a == 100 && b >= 64 && b < 128) || (a == 169 && b == 254);
    }
    byte[] v6 = firstIp6();
    if (v6 == null) return false;
    int a = v6[0] & 0xFF;
    return (a & 0xFE) == 0xFC || (a == 0xFE && (v6[1] & 0xC0) == 0x80);
  }

  /** Whether the first component is the unspecified IP ({@code 0.0.0.0} or {@code ::}). */
  public boolean isUnspecified() {
    byte[] ip = firstIp4() != null ? firstIp4() : firstIp6();
    if (ip == null) return false;
    for (byte b : ip) if (b != 0) return false;
    return true;
  }

  /** IPv4 bytes of the first component, unwrapping IPv4-mapped IPv6; null if not an IPv4 address. */
  private byte[] firstIp4() {
    if (components.isEmpty()) return null;
    Component c = components.get(0);
    if (c.protocol() == Protocol.IP4) return c.value;
    if (c.protocol() == Protocol.IP6) {
      byte[] v = c.value;
      for (int i = 0; i < 10; i++) if (v[i] != 0) return null;
      if ((v[10] & 0xFF) == 0xFF && (v[11] & 0xFF) == 0xFF) return Arrays.copyOfRange(v, 12, 16);
    }
    return null;
  }

  private byte[] firstIp6() {
    if (components.isEmpty()) return null;
    Component c = components.get(0);
    return c.protocol() == Protocol.IP6 ? c.value : null;
  }

  private static int nextSlash(String s, int from) {
    int i = s.indexOf('/', from);
    return i < 0 ? s.length() : i;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  @Override public boolean equals(Object o) {
    return o instanceof Multiaddr m && Arrays.equals(m.bytes, bytes);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The text form; the empty multiaddr prints as {@code /}, which {@link #parse} reads back. */
  @Override public String toString() {
    if (components.isEmpty()) return "/";
    StringBuilder sb = new StringBuilder();
    for (Component c : components) sb.append(c);
    return sb.toString();
  }
}
