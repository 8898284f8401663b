package dev.weft.p2p.nat.mapping.upnp;

import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * An Internet Gateway Device's description (the XML at its SSDP LOCATION), read for the one thing
 * a port mapper needs: the control URL of its WANIPConnection service (v2 preferred, then v1, then
 * WANPPPConnection:1). A pure function over bytes.
 *
 * <p>Hostile-input rules, because any device on the LAN can answer an M-SEARCH: at most
 * {@link #MAX_BYTES}; no DOCTYPE (so no entity expansion, external or internal); and the control
 * URL must be on the same host and port as the description, so a description cannot make us send
 * requests to some other machine.
 */
public final class IgdDescription {
  private IgdDescription() {}

  public static final int MAX_BYTES = 64 * 1024;
  /** Service types we can map ports with, in order of preference. */
  public static final List<String> SERVICES = List.of("urn:schemas-upnp-org:service:WANIPConnection:2",
      "urn:schemas-upnp-org:service:WANIPConnection:1", "urn:schemas-upnp-org:service:WANPPPConnection:1");

  /** Where to send SOAP requests, and for which service type. */
  public record Control(URI url, String serviceType) {}

  public static Control parse(byte[] xml, URI location) throws ProtocolViolationException {
    Document doc = XmlDocuments.parse(xml, MAX_BYTES, "IGD description");
    URI base = location;
    NodeList bases = doc.getElementsByTagNameNS("*", "URLBase");
    if (bases.getLength() > 0 && !bases.item(0).getTextContent().isBlank()) base = SsdpCodec.httpUrl(bases.item(0).getTextContent().trim());
    NodeList services = doc.getElementsByTagNameNS("*", "service");
    for (String wanted : SERVICES) {
      for (int i = 0; i < services.getLength(); i++) {
        Element s = (Element) services.item(i);
        if (!wanted.equals(child(s, "serviceType"))) continue;
        String control = child(s, "controlURL");
        if (control == null || control.isBlank()) throw new ProtocolViolationException(wanted + " without a controlURL");
        URI url;
        try {
          url = base.resolve(control.trim());
        } catch (IllegalArgumentException e) {
          throw new ProtocolViolationException("bad controlURL " + SsdpCodec.abbreviate(control));
        }
        url = SsdpCodec.httpUrl(url.toString());
        if (!sameOrigin(url, location)) {
          throw new ProtocolViolationException("controlURL " + url + " is not on the device that described it (" + location.getHost() + ":" + port(location) + ")");
        }
        return new Control(url, wanted);
      }
    }
    throw new ProtocolViolationException("no WANIPConnection or WANPPPConnection service: not a router we can map ports on");
  }

  static String child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) return e.getTextContent().trim();
    }
    return null;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() == -1 ? 80 : u.getPort();
  }

  /** A hardened DOM parser: no DOCTYPE, no external anything, namespace-aware. */
  static final class XmlDocuments {
    private XmlDocuments() {}

    static Document parse(byte[] xml, int maxBytes, String what) throws ProtocolViolationException {
      if (xml.length > maxBytes) throw new ProtocolViolationException(what + " of " + xml.length + " bytes, limit " + maxBytes);
      try {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b.parse(new ByteArrayInputStream(xml));
      } catch (org.xml.sax.SAXException | java.io.IOException e) {
        throw new ProtocolViolationException(what + " is not well-formed XML: " + SsdpCodec.abbreviate(String.valueOf(e.getMessage())));
      } catch (javax.xml.parsers.ParserConfigurationException e) {
        throw new IllegalStateException("the JDK's XML parser lacks a hardening feature", e);
      }
    }
  }
}
