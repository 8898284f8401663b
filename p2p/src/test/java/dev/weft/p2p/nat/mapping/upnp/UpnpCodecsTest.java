package dev.weft.p2p.nat.mapping.upnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SSDP, the IGD description and SOAP, on answers captured from Debian's miniupnpd 2.3.1 and on hostile variants. */
class UpnpCodecsTest {
  static byte[] resource(String name) throws Exception {
    try (InputStream in = UpnpCodecsTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  static final URI LOCATION = URI.create("http://192.168.77.1:5000/rootDesc.xml");

  @Test void miniupnpdsSsdpAnswerGivesItsLocation() throws Exception {
    byte[] d = resource("miniupnpd-ssdp.txt");
    SsdpCodec.Response r = SsdpCodec.parseResponse(d, d.length);
    assertThat(r.location()).isEqualTo(LOCATION);
    assertThat(r.searchTarget()).isEqualTo(SsdpCodec.IGD);
    assertThat(r.usn()).startsWith("uuid:584289f0");
  }

  @Test void theSearchRequestIsWhatUda11Asks() {
    String s = new String(SsdpCodec.searchRequest(SsdpCodec.IGD, 1), StandardCharsets.US_ASCII);
    assertThat(s).startsWith("M-SEARCH * HTTP/1.1\r\n").contains("MAN: \"ssdp:discover\"\r\n", "MX: 1\r\n", "ST: " + SsdpCodec.IGD + "\r\n").endsWith("\r\n\r\n");
    assertThatThrownBy(() -> SsdpCodec.searchRequest(SsdpCodec.IGD, 0)).hasMessageContaining("MX");
  }

  @Test void badSsdpAnswersAreViolations() {
    for (String bad : List.of("NOTIFY * HTTP/1.1\r\nLOCATION: http://1.2.3.4/x\r\n\r\n", "HTTP/1.1 200 OK\r\nST: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n", "HTTP/1.1 200 OK\r\nLOCATION: http://user@1.2.3.4/x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "HTTP/1.1 404 Not Found\r\nLOCATION: http://1.2.3.4/x\r\n\r\n")) {
      byte[] d = bad.getBytes(StandardCharsets.ISO_8859_1);
      assertThatThrownBy(() -> SsdpCodec.parseResponse(d, d.length)).as(bad).isInstanceOf(ProtocolViolationException.class);
    }
    byte[] big = new byte[SsdpCodec.MAX_RESPONSE_BYTES + 1];
    assertThatThrownBy(() -> SsdpCodec.parseResponse(big, big.length)).hasMessageContaining("limit");
  }

  @Test void miniupnpdsDescriptionGivesTheWanIpConnection2ControlUrl() throws Exception {
    IgdDescription.Control c = IgdDescription.parse(resource("miniupnpd-rootDesc.xml"), LOCATION);
    assertThat(c.url()).isEqualTo(URI.create("http://192.168.77.1:5000/ctl/IPConn"));
    assertThat(c.serviceType()).isEqualTo("urn:schemas-upnp-org:service:WANIPConnection:2");
  }

  @Test void aDescriptionPointingAtAnotherHostIsRefused() throws Exception {
    String xml = new String(resource("miniupnpd-rootDesc.xml"), StandardCharsets.UTF_8).replace("<controlURL>/ctl/IPConn</controlURL>",
        "<controlURL>http://10.9.9.9/ctl</controlURL>");
    assertThatThrownBy(() -> IgdDescription.parse(xml.getBytes(StandardCharsets.UTF_8), LOCATION)).isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("not on the device that described it");
  }

  @Test void entitiesAndOversizedDescriptionsAreRefused() {
    byte[] xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><root>&x;</root>".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> IgdDescription.parse(xxe, LOCATION)).isInstanceOf(ProtocolViolationException.class).hasMessageContaining("not well-formed");
    byte[] bomb = ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><root>&b;</root>").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> IgdDescription.parse(bomb, LOCATION)).isInstanceOf(ProtocolViolationException.class);
    byte[] big = new byte[IgdDescription.MAX_BYTES + 1];
    assertThatThrownBy(() -> IgdDescription.parse(big, LOCATION)).hasMessageContaining("limit");
    byte[] noWan = "<root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device><serviceList/></device></root>".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> IgdDescription.parse(noWan, LOCATION)).hasMessageContaining("no WANIPConnection");
  }

  @Test void soapAnswersGiveTheOutputsOrTheDevicesError() throws Exception {
    assertThat(UpnpSoap.parseResponse(resource("miniupnpd-soap-external.xml"), "GetExternalIPAddress"))
        .containsExactly(Map.entry("NewExternalIPAddress", "11.22.33.1"));
    assertThat(UpnpSoap.parseResponse(resource("miniupnpd-soap-add.xml"), "AddPortMapping")).isEmpty();
    assertThat(UpnpSoap.parseResponse(resource("miniupnpd-soap-addany.xml"), "AddAnyPortMapping")).containsEntry("NewReservedPort", "40003");
    assertThat(UpnpSoap.parseResponse(resource("miniupnpd-soap-delete.xml"), "DeletePortMapping")).isEmpty();
    assertThatThrownBy(() -> UpnpSoap.parseResponse(resource("miniupnpd-soap-error.xml"), "AddPortMapping"))
        .isInstanceOfSatisfying(UpnpSoap.UpnpError.class, e -> assertThat(e.code()).isEqualTo(UpnpSoap.CONFLICT_IN_MAPPING_ENTRY))
        .hasMessageContaining("ConflictInMappingEntry");
    assertThatThrownBy(() -> UpnpSoap.parseResponse(resource("miniupnpd-soap-add.xml"), "GetExternalIPAddress"))
        .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("no GetExternalIPAddressResponse");
  }

  @Test void requestsEscapeTheirArguments() {
    String r = new String(UpnpSoap.request("urn:schemas-upnp-org:service:WANIPConnection:1", "AddPortMapping",
        List.of(Map.entry("NewPortMappingDescription", "a<b>&\"c'"))), StandardCharsets.UTF_8);
    assertThat(r).contains("<NewPortMappingDescription>a&lt;b&gt;&amp;&quot;c&apos;</NewPortMappingDescription>")
        .contains("<u:AddPortMapping xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">");
    assertThat(UpnpSoap.soapAction("urn:x:1", "GetExternalIPAddress")).isEqualTo("\"urn:x:1#GetExternalIPAddress\"");
  }
}
