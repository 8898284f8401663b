package dev.weft.p2p.nat.mapping.upnp;

import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * SSDP search (UPnP Device Architecture 1.1, 1.3.2): the M-SEARCH request for an Internet Gateway
 * Device and the check of its answer. Stateless. An answer must be an HTTP 200 whose LOCATION is
 * an absolute {@code http://} URL; anything else — an oversized datagram, a header line without a
 * colon, a location on another scheme — is a violation, whatever else it says.
 */
public final class SsdpCodec {
  private SsdpCodec() {}

  public static final int PORT = 1900;
  public static final String MULTICAST = "239.255.255.250";
  /** What we search for: any IGD (v1 search targets match v2 devices too, by the spec's rules). */
  public static final String IGD = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";
  /** Largest answer read: real ones are ~450 bytes (miniupnpd 2.3). */
  public static final int MAX_RESPONSE_BYTES = 2048;

  /** An answer: where the device description is, and what answered. */
  public record Response(URI location, String searchTarget, String usn) {}

  public static byte[] searchRequest(String searchTarget, int mxSeconds) {
    if (mxSeconds < 1 || mxSeconds > 5) throw new IllegalArgumentException("MX must be 1..5 s: " + mxSeconds);
    return ("M-SEARCH * HTTP/1.1\r\nHOST: " + MULTICAST + ":" + PORT + "\r\nMAN: \"ssdp:discover\"\r\nMX: " + mxSeconds + "\r\nST: " + searchTarget
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  public static Response parseResponse(byte[] data, int length) throws ProtocolViolationException {
    if (length > MAX_RESPONSE_BYTES) throw new ProtocolViolationException("SSDP answer of " + length + " bytes, limit " + MAX_RESPONSE_BYTES);
    String text = new String(data, 0, length, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n");
    if (lines.length == 0 || !lines[0].matches("HTTP/1\\.[01] 200( .*)?")) {
      throw new ProtocolViolationException("not an SSDP answer: " + abbreviate(lines.length == 0 ? "" : lines[0]));
    }
    String location = null, st = null, usn = null;
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      if (l.isEmpty()) break;
      int colon = l.indexOf(':');
      if (colon <= 0) throw new ProtocolViolationException("SSDP header without a name: " + abbreviate(l));
      String name = l.substring(0, colon).trim().toUpperCase(Locale.ROOT);
      String value = l.substring(colon + 1).trim();
      switch (name) {
        case "LOCATION" -> location = value;
        case "ST" -> st = value;
        case "USN" -> usn = value;
        default -> { }
      }
    }
    if (location == null) throw new ProtocolViolationException("SSDP answer without LOCATION");
    return new Response(httpUrl(location), st == null ? "" : st, usn == null ? "" : usn);
  }

  /** An absolute {@code http://host[:port]/path} URL, or a violation. */
  static URI httpUrl(String s) throws ProtocolViolationException {
    URI u;
    try {
      u = new URI(s);
    } catch (URISyntaxException e) {
      throw new ProtocolViolationException("not a URL: " + abbreviate(s));
    }
    if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getRawUserInfo() != null) {
      throw new ProtocolViolationException("not an http://host URL: " + abbreviate(s));
    }
    if (u.getPort() == 0 || u.getPort() > 65535) throw new ProtocolViolationException("bad port in " + abbreviate(s));
    return u;
  }

  static String abbreviate(String s) {
    String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() <= 80 ? "'" + clean + "'" : "'" + clean.substring(0, 80) + "...'";
  }
}
