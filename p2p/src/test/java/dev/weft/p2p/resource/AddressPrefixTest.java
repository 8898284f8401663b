package dev.weft.p2p.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** CIDR prefixes for the allowlist: parsed from literals only, validated with the reason named. */
class AddressPrefixTest {
  static InetAddress ip(String s) {
    return ResourceManagerTest.ip(s);
  }

  @Test void matchesWithinItsBitsOnly() {
    AddressPrefix lo = AddressPrefix.parse("127.0.0.0/8");
    assertThat(lo.contains(ip("127.0.0.1"))).isTrue();
    assertThat(lo.contains(ip("127.255.3.4"))).isTrue();
    assertThat(lo.contains(ip("128.0.0.1"))).isFalse();
    assertThat(lo.contains(ip("::ffff:127.0.0.1"))).as("IPv4-mapped counts as the IPv4 address").isTrue();
    assertThat(lo.contains(ip("::1"))).as("another family").isFalse();
    AddressPrefix odd = AddressPrefix.parse("10.1.64.0/19");
    assertThat(odd.contains(ip("10.1.95.255"))).isTrue();
    assertThat(odd.contains(ip("10.1.96.0"))).isFalse();
    AddressPrefix v6 = AddressPrefix.parse("::1/128");
    assertThat(v6.contains(ip("::1"))).isTrue();
    assertThat(v6.contains(ip("::2"))).isFalse();
    assertThat(AddressPrefix.parse("fd00::/8").contains(ip("fdab::1"))).isTrue();
    assertThat(AddressPrefix.parse(" 192.168.0.0/16 ").toString()).isEqualTo("192.168.0.0/16");
  }

  @Test void badPrefixesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> AddressPrefix.parse("127.0.0.1/8")).hasMessageContaining("did you mean 127.0.0.0/8");
    assertThatThrownBy(() -> AddressPrefix.parse("127.0.0.0/33")).hasMessageContaining("1..32");
    assertThatThrownBy(() -> AddressPrefix.parse("::/0")).hasMessageContaining("1..128");
    assertThatThrownBy(() -> AddressPrefix.parse("0.0.0.0/0")).hasMessageContaining("1..32");
    assertThatThrownBy(() -> AddressPrefix.parse("127.0.0.0")).hasMessageContaining("needs a length");
    assertThatThrownBy(() -> AddressPrefix.parse("127.0.0.0/x")).hasMessageContaining("bad prefix length");
    assertThatThrownBy(() -> AddressPrefix.parse("localhost/8")).as("never looked up").hasMessageContaining("not an IPv4 or IPv6 address literal");
    assertThatThrownBy(() -> AddressPrefix.parse("256.0.0.0/8")).hasMessageContaining("not an IPv4 or IPv6 address literal");
    assertThatThrownBy(() -> AddressPrefix.parse("fe80::1%eth0/64")).hasMessageContaining("literal");
    assertThatThrownBy(() -> AddressPrefix.parse("::ffff:127.0.0.0/104")).hasMessageContaining("IPv4-mapped");
    assertThatThrownBy(() -> AddressPrefix.parse("1:2:3/64")).hasMessageContaining("not an address literal");
  }

  @Test void theLimitsValidateTheirAllowlist() {
    assertThat(ResourceLimits.DEFAULT.allowlist()).as("off by default").isEmpty();
    assertThat(ResourceLimits.DEFAULT.withAllowlist("127.0.0.0/8", "::1/128").allowlist()).isEqualTo(AddressPrefix.LOOPBACK);
    assertThatThrownBy(() -> ResourceLimits.DEFAULT.withAllowlist("127.0.0.1/8")).hasMessageContaining("127.0.0.1/8");
    String[] many = new String[ResourceLimits.MAX_ALLOWLIST + 1];
    for (int i = 0; i < many.length; i++) many[i] = "10." + i + ".0.0/16";
    assertThatThrownBy(() -> ResourceLimits.DEFAULT.withAllowlist(many)).hasMessageContaining("at most " + ResourceLimits.MAX_ALLOWLIST);
    assertThat(ResourceLimits.DEFAULT.withAllowlist("127.0.0.0/8").withStreamLimits(1, 2, 3).allowlist())
        .as("kept by the other with* methods").hasSize(1);
  }
}
