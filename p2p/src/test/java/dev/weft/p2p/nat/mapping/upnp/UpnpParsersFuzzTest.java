package dev.weft.p2p.nat.mapping.upnp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import java.net.URI;

/**
 * Any bytes as an SSDP answer, an IGD description or a SOAP answer (what any device on the LAN
 * may send): a clean violation or a result within the rules — never another exception. Seeds: the
 * answers of Debian's miniupnpd 2.3.1, an XXE attempt and a description pointing elsewhere.
 */
class UpnpParsersFuzzTest {
  static final URI LOCATION = URI.create("http://192.168.77.1:5000/rootDesc.xml");

  @FuzzTest(maxDuration = "20s")
  void ssdpResponse(byte[] data) {
    try {
      SsdpCodec.Response r = SsdpCodec.parseResponse(data, data.length);
      assertThat(r.location().getScheme()).isEqualToIgnoringCase("http");
      assertThat(r.location().getHost()).isNotNull();
    } catch (ProtocolViolationException expected) {
      // fine
    }
  }

  @FuzzTest(maxDuration = "20s")
  void description(byte[] data) {
    try {
      IgdDescription.Control c = IgdDescription.parse(data, LOCATION);
      assertThat(c.url().getHost()).isEqualTo(LOCATION.getHost());
      assertThat(c.url().getPort()).isEqualTo(LOCATION.getPort());
      assertThat(IgdDescription.SERVICES).contains(c.serviceType());
    } catch (ProtocolViolationException expected) {
      // fine
    }
  }

  @FuzzTest(maxDuration = "20s")
  void soapResponse(byte[] data) {
    for (String action : new String[] {"GetExternalIPAddress", "AddPortMapping", "AddAnyPortMapping", "DeletePortMapping"}) {
      try {
        assertThat(UpnpSoap.parseResponse(data, action)).hasSizeLessThanOrEqualTo(32);
      } catch (ProtocolViolationException | UpnpSoap.UpnpError expected) {
        // fine
      }
    }
  }
}
