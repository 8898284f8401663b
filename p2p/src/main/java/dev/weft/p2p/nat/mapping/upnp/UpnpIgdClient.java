package dev.weft.p2p.nat.mapping.upnp;

import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.nat.mapping.wire.UdpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * A UPnP IGD port mapper for one gateway: find its WAN connection service (SSDP M-SEARCH sent to
 * the gateway itself, then its description over HTTP), read the external address, add and delete
 * TCP mappings. Blocking: call it from a virtual thread or the CLI, never from an event loop.
 *
 * <p>Only the default gateway is asked, by unicast M-SEARCH (UDA 1.1 allows it): the router we are
 * behind is the one whose mapping matters, and a multicast search would invite every device on the
 * LAN to answer. Every read has a size limit ({@link SsdpCodec#MAX_RESPONSE_BYTES},
 * {@link IgdDescription#MAX_BYTES}, {@link UpnpSoap#MAX_RESPONSE_BYTES}), a per-read timeout and a
 * deadline for the whole body; no proxy is used; redirects are not followed.
 */
public final class UpnpIgdClient {
  /** Connect and read timeout of each HTTP exchange. */
  static final int HTTP_TIMEOUT_MILLIS = 3_000;
  /** Longest a whole body may take to arrive (a description is ~3 KB, an answer under 1 KB). */
  static final long BODY_DEADLINE_MILLIS = 10_000;

  private final InetAddress gateway;
  private final IgdDescription.Control control;
  private final InetAddress localAddress;

  private UpnpIgdClient(InetAddress gateway, IgdDescription.Control control, InetAddress localAddress) {
    this.gateway = gateway;
    this.control = control;
    this.localAddress = localAddress;
  }

  /**
   * Finds the gateway's WAN connection service: M-SEARCH to {@code gateway}:1900, retried
   * {@code attempts} times (500 ms, doubling), then its description.
   *
   * @throws TimeoutException the gateway does not answer SSDP (UPnP off, or not a UPnP router)
   */
  public static UpnpIgdClient discover(Inet4Address gateway, int attempts) throws IOException, TimeoutException {
    if (attempts < 1 || attempts > 6) throw new IllegalArgumentException("attempts must be in [1, 6]: " + attempts);
    SsdpCodec.Response r = search(gateway, attempts);
    if (!r.location().getHost().equals(gateway.getHostAddress())) {
      // The description must come from the router we asked, not wherever it points us.
      throw new ProtocolViolationException("the gateway " + gateway.getHostAddress() + " described itself at another host: " + r.location());
    }
    byte[] xml = get(r.location(), IgdDescription.MAX_BYTES);
    IgdDescription.Control c = IgdDescription.parse(xml, r.location());
    return new UpnpIgdClient(gateway, c, localAddressTowards(gateway));
  }

  private static SsdpCodec.Response search(Inet4Address gateway, int attempts) throws IOException, TimeoutException {
    InetSocketAddress to = new InetSocketAddress(gateway, SsdpCodec.PORT);
    // Only the router we asked may answer (from any port); a malformed answer is as good as none.
    return UdpExchange.exchange(SsdpCodec.searchRequest(SsdpCodec.IGD, 1), to, new InetSocketAddress(gateway, 0), 500, attempts,
        SsdpCodec.MAX_RESPONSE_BYTES, b -> {
          try {
            return java.util.Optional.of(SsdpCodec.parseResponse(b, b.length));
          } catch (ProtocolViolationException e) {
            return java.util.Optional.empty();
          }
        }, "no SSDP answer from " + gateway.getHostAddress() + " (UPnP off or unsupported)");
  }

  /** The address of ours the gateway sees: the internal client of a mapping. */
  private static InetAddress localAddressTowards(InetAddress gateway) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(new InetSocketAddress(gateway, SsdpCodec.PORT));
      return s.getLocalAddress();
    }
  }

  public IgdDescription.Control control() {
    return control;
  }

  public InetAddress localAddress() {
    return localAddress;
  }

  public String externalAddress() throws IOException, UpnpSoap.UpnpError {
    String ip = call("GetExternalIPAddress", List.of()).get("NewExternalIPAddress");
    if (ip == null || !ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) throw new ProtocolViolationException("no IPv4 NewExternalIPAddress in the answer");
    return ip;
  }

  /** Maps external TCP port {@code externalPort} to our {@code internalPort} for {@code leaseSeconds} (0: until removed). */
  public void addPortMapping(int externalPort, int internalPort, long leaseSeconds, String description) throws IOException, UpnpSoap.UpnpError {
    call("AddPortMapping", List.of(Map.entry("NewRemoteHost", ""), Map.entry("NewExternalPort", String.valueOf(externalPort)),
        Map.entry("NewProtocol", "TCP"), Map.entry("NewInternalPort", String.valueOf(internalPort)),
        Map.entry("NewInternalClient", localAddress.getHostAddress()), Map.entry("NewEnabled", "1"),
        Map.entry("NewPortMappingDescription", description), Map.entry("NewLeaseDuration", String.valueOf(leaseSeconds))));
  }

  /** IGD v2's AddAnyPortMapping: the router picks a free external port near {@code externalPort}; returns it. */
  public int addAnyPortMapping(int externalPort, int internalPort, long leaseSeconds, String description) throws IOException, UpnpSoap.UpnpError {
    String p = call("AddAnyPortMapping", List.of(Map.entry("NewRemoteHost", ""), Map.entry("NewExternalPort", String.valueOf(externalPort)),
        Map.entry("NewProtocol", "TCP"), Map.entry("NewInternalPort", String.valueOf(internalPort)),
        Map.entry("NewInternalClient", localAddress.getHostAddress()), Map.entry("NewEnabled", "1"),
        Map.entry("NewPortMappingDescription", description), Map.entry("NewLeaseDuration", String.valueOf(leaseSeconds)))).get("NewReservedPort");
    try {
      int port = Integer.parseInt(p == null ? "" : p);
      if (port < 1 || port > 65535) throw new NumberFormatException();
      return port;
    } catch (NumberFormatException e) {
      throw new ProtocolViolationException("AddAnyPortMapping answered no valid NewReservedPort");
    }
  }

  public void deletePortMapping(int externalPort) throws IOException, UpnpSoap.UpnpError {
    call("DeletePortMapping", List.of(Map.entry("NewRemoteHost", ""), Map.entry("NewExternalPort", String.valueOf(externalPort)),
        Map.entry("NewProtocol", "TCP")));
  }

  private Map<String, String> call(String action, List<Map.Entry<String, String>> args) throws IOException, UpnpSoap.UpnpError {
    byte[] body = UpnpSoap.request(control.serviceType(), action, args);
    HttpURLConnection c = open(control.url());
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "text/xml; charset=\"utf-8\"");
    c.setRequestProperty("SOAPAction", UpnpSoap.soapAction(control.serviceType(), action));
    c.setFixedLengthStreamingMode(body.length);
    try {
      try (OutputStream o = c.getOutputStream()) {
        o.write(body);
      }
      int status = c.getResponseCode();
      // A fault comes with status 500 and its UPnPError in the body.
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      if (in == null) throw new IOException(action + ": HTTP " + status + " without a body");
      try (in) {
        return UpnpSoap.parseResponse(bounded(in, UpnpSoap.MAX_RESPONSE_BYTES, action + " answer"), action);
      }
    } finally {
      c.disconnect();
    }
  }

  private static byte[] get(URI url, int limit) throws IOException {
    HttpURLConnection c = open(url);
    try {
      int status = c.getResponseCode();
      if (status != 200) throw new IOException("GET " + url + ": HTTP " + status);
      try (InputStream in = c.getInputStream()) {
        return bounded(in, limit, "description at " + url);
      }
    } finally {
      c.disconnect();
    }
  }

  private static HttpURLConnection open(URI url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
    c.setConnectTimeout(HTTP_TIMEOUT_MILLIS);
    c.setReadTimeout(HTTP_TIMEOUT_MILLIS);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    return c;
  }

  /**
   * At most {@code limit} bytes, within {@link #BODY_DEADLINE_MILLIS} in all: the read timeout
   * bounds each read, not a device that trickles a byte every few seconds.
   */
  private static byte[] bounded(InputStream in, int limit, String what) throws IOException {
    long deadline = dev.weft.p2p.time.NanoClock.SYSTEM.nowNanos() + BODY_DEADLINE_MILLIS * 1_000_000L;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n; (n = in.read(buf)) != -1; ) {
      out.write(buf, 0, n);
      if (out.size() > limit) throw new ProtocolViolationException(what + " over " + limit + " bytes");
      if (dev.weft.p2p.time.NanoClock.SYSTEM.nowNanos() - deadline > 0) throw new java.net.SocketTimeoutException(what + " took over " + BODY_DEADLINE_MILLIS + " ms");
    }
    return out.toByteArray();
  }

  @Override public String toString() {
    return "UpnpIgdClient{" + gateway.getHostAddress() + " " + control.url() + "}";
  }
}
