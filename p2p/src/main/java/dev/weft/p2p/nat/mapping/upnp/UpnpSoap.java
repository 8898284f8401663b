package dev.weft.p2p.nat.mapping.upnp;

import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * SOAP for a WAN*Connection service: the request envelope of an action, and its answer — the
 * action's output arguments, or the device's UPnPError. A pure codec; the answer is parsed with the
 * same hardened parser as the description and at most {@link #MAX_RESPONSE_BYTES}.
 */
public final class UpnpSoap {
  private UpnpSoap() {}

  public static final int MAX_RESPONSE_BYTES = 16 * 1024;

  /** The device refused the action (UPnP control error codes, e.g. 718 ConflictInMappingEntry). */
  public static final class UpnpError extends Exception {
    private final int code;

    public UpnpError(int code, String description) {
      super("UPnP error " + code + (description.isEmpty() ? "" : " " + description));
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  public static final int CONFLICT_IN_MAPPING_ENTRY = 718;
  public static final int ONLY_PERMANENT_LEASES_SUPPORTED = 725;
  public static final int INVALID_ACTION = 401;

  public static byte[] request(String serviceType, String action, List<Map.Entry<String, String>> args) {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
        + " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body><u:").append(action).append(" xmlns:u=\"")
        .append(escape(serviceType)).append("\">");
    for (Map.Entry<String, String> a : args) {
      b.append('<').append(a.getKey()).append('>').append(escape(a.getValue())).append("</").append(a.getKey()).append('>');
    }
    return b.append("</u:").append(action).append("></s:Body></s:Envelope>\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The SOAPAction header's value for {@code action} of {@code serviceType}. */
  public static String soapAction(String serviceType, String action) {
    return "\"" + serviceType + "#" + action + "\"";
  }

  /**
   * The output arguments of {@code action}'s answer, by name.
   *
   * @throws UpnpError the device answered with a fault
   * @throws ProtocolViolationException not XML, too big, or neither the action's response nor a fault
   */
  public static Map<String, String> parseResponse(byte[] xml, String action) throws ProtocolViolationException, UpnpError {
    Document doc = IgdDescription.XmlDocuments.parse(xml, MAX_RESPONSE_BYTES, action + " answer");
    NodeList errors = doc.getElementsByTagNameNS("*", "UPnPError");
    if (errors.getLength() > 0) {
      Element e = (Element) errors.item(0);
      String code = IgdDescription.child(e, "errorCode");
      String desc = IgdDescription.child(e, "errorDescription");
      int c;
      try {
        c = Integer.parseInt(code == null ? "" : code.trim());
      } catch (NumberFormatException x) {
        throw new ProtocolViolationException("UPnPError with a bad errorCode " + SsdpCodec.abbreviate(String.valueOf(code)));
      }
      throw new UpnpError(c, desc == null ? "" : SsdpCodec.abbreviate(desc).replace("'", ""));
    }
    NodeList faults = doc.getElementsByTagNameNS("*", "Fault");
    if (faults.getLength() > 0) throw new UpnpError(0, "SOAP fault without a UPnPError");
    NodeList answers = doc.getElementsByTagNameNS("*", action + "Response");
    if (answers.getLength() == 0) throw new ProtocolViolationException("no " + action + "Response in the answer");
    Map<String, String> out = new LinkedHashMap<>();
    for (Node n = answers.item(0).getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        if (out.size() >= 32) throw new ProtocolViolationException(action + "Response with more than 32 arguments");
        out.put(e.getLocalName() != null ? e.getLocalName() : e.getTagName(), e.getTextContent().trim());
      }
    }
    return out;
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
