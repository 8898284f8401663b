package dev.weft.dht.host;

import dev.weft.dht.KadNetwork;
import dev.weft.dht.keyspace.PeerInfo;
import dev.weft.dht.codec.DhtCodec;
import dev.weft.dht.codec.DhtDecodeException;
import dev.weft.dht.codec.DhtMessage;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.multiformats.Varint;
import dev.weft.p2p.protocol.io.LengthPrefixedReader;
import dev.weft.p2p.protocol.io.MessageTooLargeException;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.protocol.ping.PingService;
import dev.weft.p2p.time.Scheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * {@link KadNetwork} over a libp2p {@link Host}: one stream per request (as js and go do), the
 * message uvarint-length-prefixed, at most {@link DhtCodec#MAX_MESSAGE_BYTES} read back within
 * the request timeout. Results are handed to the DHT's scheduler.
 */
final class HostKadNetwork implements KadNetwork {
  /** How long addresses learnt from DHT answers stay in the peer store. */
  static final long LEARNT_ADDRESS_TTL_MILLIS = 30 * 60_000L;

  private final Host host;
  private final String protocolId;
  private final Scheduler scheduler;
  private final PingService ping;
  private final long timeoutMillis;

  HostKadNetwork(Host host, String protocolId, Scheduler scheduler, PingService ping, long timeoutMillis) {
    this.host = host;
    this.protocolId = protocolId;
    this.scheduler = scheduler;
    this.ping = ping;
    this.timeoutMillis = timeoutMillis;
  }

  /** Frames {@code msg}: uvarint length, then the protobuf. */
  static ByteBuf frame(DhtMessage msg) {
    byte[] body = DhtCodec.encode(msg);
    return Unpooled.wrappedBuffer(Varint.encode(body.length), body);
  }

  /** Tells the peer store where {@code peer} can be reached (addresses we cannot parse are skipped). */
  void learnAddresses(PeerInfo peer) {
    if (peer.addrs().isEmpty() || peer.id().equals(host.peerId())) return;
    List<Multiaddr> addrs = new ArrayList<>();
    for (byte[] a : peer.addrs()) {
      try {
        addrs.add(Multiaddr.fromBytes(a));
      } catch (IllegalArgumentException e) {
        // validated by the codec's table; p2p's stricter parser may still refuse a few forms
      }
    }
    if (!addrs.isEmpty()) host.peerStore().addAddresses(peer.id(), addrs, LEARNT_ADDRESS_TTL_MILLIS);
  }

  @Override public void request(PeerInfo peer, DhtMessage request, boolean expectReply, Consumer<Result> onResult) {
    learnAddresses(peer);
    host.newStream(peer.id(), List.of(protocolId)).whenComplete((stream, err) -> {
      if (err != null) {
        deliver(onResult, new Result.Failed(cause(err).toString()));
        return;
      }
      LengthPrefixedReader reader = expectReply ? new LengthPrefixedReader(DhtCodec.MAX_MESSAGE_BYTES, timeoutMillis, scheduler, stream) : null;
      if (reader != null) stream.setHandler(reader);
      stream.write(frame(request)).whenComplete((v, werr) -> {
        if (werr != null) {
          stream.reset();
          deliver(onResult, new Result.Failed("write failed: " + cause(werr)));
          return;
        }
        if (!expectReply) {
          stream.closeWrite();
          deliver(onResult, new Result.Sent());
        }
      });
      if (reader == null) return;
      reader.result().whenComplete((body, rerr) -> {
        if (rerr != null) {
          Throwable c = cause(rerr);
          boolean misbehaved = c instanceof MessageTooLargeException || c instanceof ProtocolViolationException;
          deliver(onResult, misbehaved ? new Result.Malformed(c.getMessage()) : new Result.Failed(c.toString()));
          return;
        }
        stream.closeWrite();
        try {
          DhtMessage reply = DhtCodec.decode(body);
          for (PeerInfo p : reply.closerPeers()) learnAddresses(p);
          for (PeerInfo p : reply.providerPeers()) learnAddresses(p);
          deliver(onResult, new Result.Reply(reply));
        } catch (DhtDecodeException e) {
          stream.reset();
          deliver(onResult, new Result.Malformed(e.getMessage()));
        }
      });
    });
  }

  @Override public void ping(PeerInfo peer, Consumer<Boolean> onResult) {
    learnAddresses(peer);
    if (ping == null) {
      host.connect(peer.id()).whenComplete((c, e) -> scheduler.execute(() -> onResult.accept(e == null)));
      return;
    }
    ping.ping(peer.id(), 1).whenComplete((rtts, e) -> scheduler.execute(() -> onResult.accept(e == null)));
  }

  private void deliver(Consumer<Result> onResult, Result r) {
    scheduler.execute(() -> onResult.accept(r));
  }

  static Throwable cause(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t;
  }

  /** Serves one inbound request stream: read one message, hand it to {@code handler}, write the answer. */
  static void serve(Stream stream, Scheduler readScheduler, long timeoutMillis, Consumer<byte[]> onRequest, Consumer<Throwable> onBadRequest) {
    LengthPrefixedReader reader = new LengthPrefixedReader(DhtCodec.MAX_MESSAGE_BYTES, timeoutMillis, readScheduler, stream);
    stream.setHandler(reader);
    reader.result().whenComplete((body, err) -> {
      if (err != null) onBadRequest.accept(cause(err));
      else onRequest.accept(body);
    });
  }
}
