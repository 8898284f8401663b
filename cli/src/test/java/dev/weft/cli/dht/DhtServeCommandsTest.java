package dev.weft.cli.dht;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.p2p.ServeCommands;
import dev.weft.cli.p2p.ServeSession;
import dev.weft.dht.record.Keys;
import dev.weft.p2p.crypto.Ed25519;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Cid;
import dev.weft.p2p.transport.tcp.TcpTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dht.* serve commands on three real TCP hosts in one JVM. */
class DhtServeCommandsTest {
  final List<HostBuilder.Built> hosts = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void close() {
    hosts.forEach(h -> h.host().close());
  }

  ServeSession node(long seed, List<String> bootstrap, Path dhtDir) {
    HostBuilder.Built b = BasicHost.builder().privateKey(Ed25519.fromSeedNumber(seed)).transport(TcpTransport::new).listen("/ip4/127.0.0.1/tcp/0").buildWithServices();
    b.host().start().join();
    hosts.add(b);
    DhtOptions o = new DhtOptions();
    o.bootstrap = bootstrap;
    o.dir = dhtDir;
    o.attach(b);
    return new ServeSession(b, ServeCommands.standard(), new PrintStream(new ByteArrayOutputStream()));
  }

  static ObjectNode run(ServeSession s, String line) throws Exception {
    return s.handle(line).get();
  }

  String addr(int i) {
    return hosts.get(i).host().listenAddresses().get(0) + "/p2p/" + hosts.get(i).host().peerId();
  }

  @Test
  void bootstrapProvideFindPutGetFindPeer() throws Exception {
    ServeSession a = node(701, List.of(), dir.resolve("a"));
    ServeSession b = node(702, List.of(), null);
    ServeSession c = node(703, List.of(), null);
    ObjectNode boot = run(b, "{\"cmd\":\"dht.bootstrap\",\"addr\":\"" + addr(0) + "\"}");
    assertThat(boot.get("routingTable").asInt()).as(boot.toString()).isGreaterThanOrEqualTo(1);
    run(c, "{\"cmd\":\"dht.bootstrap\",\"addr\":\"" + addr(0) + "\"}");

    String cid = Cid.sha256(Cid.RAW, "shard-3".getBytes()).toString();
    ObjectNode provided = run(b, "{\"id\":1,\"cmd\":\"dht.provide\",\"cid\":\"" + cid + "\"}");
    assertThat(provided.get("stored").asInt()).as(provided.toString()).isGreaterThanOrEqualTo(1);
    assertThat(provided.get("id").asInt()).isEqualTo(1);
    ObjectNode found = run(c, "{\"cmd\":\"dht.findProviders\",\"cid\":\"" + cid + "\",\"count\":1}");
    assertThat(found.get("providers").findValuesAsText("peer")).as(found.toString()).containsExactly(hosts.get(1).host().peerId().toBase58());
    assertThat(found.has("hops") && found.has("messages") && found.has("ms")).isTrue();

    String key = Base64.getEncoder().encodeToString(Keys.pkKey(hosts.get(1).host().peerId()));
    String value = Base64.getEncoder().encodeToString(hosts.get(1).host().privateKey().publicKey().marshal());
    ObjectNode put = run(b, "{\"cmd\":\"dht.put\",\"keyB64\":\"" + key + "\",\"value\":\"" + value + "\"}");
    assertThat(put.get("stored").asInt()).as(put.toString()).isGreaterThanOrEqualTo(1);
    ObjectNode got = run(c, "{\"cmd\":\"dht.get\",\"keyB64\":\"" + key + "\"}");
    assertThat(got.get("value").asText()).isEqualTo(value);

    ObjectNode peer = run(c, "{\"cmd\":\"dht.findPeer\",\"peer\":\"" + hosts.get(0).host().peerId() + "\"}");
    assertThat(peer.get("found").asBoolean()).isTrue();
    assertThat(peer.get("addrs").size()).isGreaterThan(0);
    ObjectNode closest = run(a, "{\"cmd\":\"dht.closestPeers\",\"key\":\"anything\"}");
    assertThat(closest.get("peers").size()).isEqualTo(2);

    // bad requests get one-line errors, not crashes
    assertThat(run(c, "{\"cmd\":\"dht.get\"}").get("error").asText()).contains("key");
    assertThat(run(c, "{\"cmd\":\"dht.put\",\"key\":\"/ipns/x\",\"value\":\"AAAA\"}").get("error").asText()).contains("invalid record");
    assertThat(run(c, "{\"cmd\":\"dht.provide\",\"cid\":\"notacid\"}").get("error").asText()).contains("cid");
  }
}
