package dev.weft.p2p.protocol.identify;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.api.Host;
import dev.weft.p2p.api.HostEvent;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.PeerStore;
import dev.weft.p2p.api.ServiceContext;
import dev.weft.p2p.api.ServiceFactory;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.io.DiscardingHandler;
import dev.weft.p2p.protocol.io.LengthPrefixedReader;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.record.InvalidRecordException;
import dev.weft.p2p.record.PeerRecord;
import dev.weft.p2p.time.Cancellable;
import io.netty.buffer.Unpooled;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identify and identify push for one host: answers {@code /ipfs/id/1.0.0}, identifies every new
 * connection, stores what peers say about themselves (key, listen addresses, protocols) in the
 * peer store, publishes {@link HostEvent.PeerIdentified}, and pushes our record to connected peers
 * when our protocols change.
 *
 * <p>We send a signed peer record (RFC 0003) of our listen addresses with {@code 0.0.0.0}/{@code ::}
 * expanded to interface addresses ({@link OwnPeerRecord}); a peer's signed record is verified
 * before anything in it is used, and its addresses are kept apart as certified
 * ({@link #certifiedAddresses}): a record that does not verify, or is another peer's, is dropped
 * and logged (the identify message itself is still used, as js and go do).
 *
 * <p>A peer whose identify message is oversized, malformed, or carries a key that is not its own
 * is misbehaving: its connection is closed with a logged reason. Stream callbacks run on the
 * connection's thread; the cache is concurrent.
 */
public final class IdentifyService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IdentifyService.class);

  private final ServiceContext context;
  private final Host host;
  private final String agentVersion;
  private final Map<PeerId, IdentifyInfo> identified = new ConcurrentHashMap<>();
  private final Map<PeerId, PeerRecord> certified = new ConcurrentHashMap<>();
  private final OwnPeerRecord ownRecord;
  private final AutoCloseable subscription;
  private volatile Cancellable pendingPush;
  private final java.util.List<java.util.function.BiConsumer<Connection, Multiaddr>> observedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private IdentifyService(ServiceContext context, String agentVersion) {
    this.context = context;
    this.host = context.host();
    this.agentVersion = agentVersion;
    // The record's sequence number must grow across restarts too (RFC 0003: peers keep the highest
    // they saw), so it counts wall-clock milliseconds: read once here, then advanced by the host's
    // monotonic clock (virtual in simulations). Nothing else in identify reads the wall clock.
    long epoch = context.wallClockMillis() - context.scheduler().nowMillis();
    this.ownRecord = new OwnPeerRecord(host.privateKey(), host::advertisedAddresses,
        dev.weft.p2p.addr.InterfaceAddresses::system, () -> epoch + context.scheduler().nowMillis());
    host.setStreamHandler(IdentifyProtocol.ID, this::respond);
    host.setStreamHandler(IdentifyProtocol.PUSH_ID, this::receivePush);
    this.subscription = context.subscribe(e -> {
      switch (e) {
        case HostEvent.PeerConnected pc -> identify(pc.connection());
        case HostEvent.PeerDisconnected pd -> {
          if (host.connections(pd.connection().remotePeer()).isEmpty()) {
            identified.remove(pd.connection().remotePeer());
            certified.remove(pd.connection().remotePeer());
          }
        }
        default -> { }
      }
    });
    context.onProtocolsChanged(this::schedulePush);
  }

  /** Identify as a host service, advertising {@code agentVersion}. */
  public static ServiceFactory<IdentifyService> factory(String agentVersion) {
    return context -> new IdentifyService(context, agentVersion);
  }

  /** Installs identify on {@code host}; the host closes it. */
  public static IdentifyService install(Host host, String agentVersion) {
    return host.install(factory(agentVersion));
  }

  /** What {@code peer} last told us, if it has been identified on a live connection. */
  public Optional<IdentifyInfo> info(PeerId peer) {
    return Optional.ofNullable(identified.get(peer));
  }

  /** The addresses {@code peer} signed for itself (RFC 0003), if it sent a valid record on a live connection. */
  public List<Multiaddr> certifiedAddresses(PeerId peer) {
    PeerRecord r = certified.get(peer);
    return r == null ? List.of() : r.addresses();
  }

  /**
   * Hands every observed address a peer reports (its view of our side of {@code connection}) to
   * {@code listener}, on the connection's thread; the listener judges it (see dev.weft.p2p.nat).
   */
  public void onObservedAddress(java.util.function.BiConsumer<Connection, Multiaddr> listener) {
    observedListeners.add(listener);
  }

  /** Our own record as sent to the remote of {@code connection}. */
  public IdentifyInfo localInfo(Connection connection) {
    return new IdentifyInfo(IdentifyProtocol.PROTOCOL_VERSION, agentVersion, host.privateKey().publicKey(),
        ownRecord.addresses(), connection == null ? null : connection.remoteAddress(), host.protocols(), ownRecord.envelope(), 0);
  }

  /**
   * Asks the remote of {@code connection} for its identify record, stores it and returns it. Fails
   * if the remote does not answer within {@link IdentifyProtocol#TIMEOUT_MILLIS} or misbehaves (then
   * the connection is closed too).
   */
  public CompletableFuture<IdentifyInfo> identify(Connection connection) {
    return connection.newStream(List.of(IdentifyProtocol.ID)).thenCompose(stream -> {
      LengthPrefixedReader reader = new LengthPrefixedReader(IdentifyProtocol.MAX_MESSAGE_BYTES,
          IdentifyProtocol.TIMEOUT_MILLIS, context.scheduler(), stream);
      stream.setHandler(reader);
      return reader.result().thenApply(body -> {
        stream.closeWrite();
        resetIfLingering(stream);
        IdentifyInfo info = decodeOrClose(connection, body);
        apply(connection, info, false);
        return info;
      });
    }).whenComplete((info, e) -> {
      if (e != null) misbehaved(connection, e);
    });
  }

  private void respond(Stream stream) {
    byte[] msg = IdentifyCodec.encodeDelimited(localInfo(stream.connection()));
    stream.write(Unpooled.wrappedBuffer(msg));
    stream.closeWrite();
    stream.setHandler(new DiscardingHandler());
    resetIfLingering(stream);
  }

  /** A peer that never closes its side would keep the stream (and the connection) busy forever. */
  private void resetIfLingering(Stream stream) {
    Cancellable t = context.scheduler().schedule(IdentifyProtocol.TIMEOUT_MILLIS, stream::reset);
    stream.closeFuture().whenComplete((v, e) -> t.cancel());
  }

  private void receivePush(Stream stream) {
    Connection connection = stream.connection();
    LengthPrefixedReader reader = new LengthPrefixedReader(IdentifyProtocol.MAX_MESSAGE_BYTES,
        IdentifyProtocol.TIMEOUT_MILLIS, context.scheduler(), stream);
    stream.setHandler(reader);
    reader.result().thenAccept(body -> {
      stream.closeWrite();
      resetIfLingering(stream);
      apply(connection, decodeOrClose(connection, body), true);
    }).exceptionally(e -> {
      misbehaved(connection, e);
      return null;
    });
  }

  private static IdentifyInfo decodeOrClose(Connection connection, byte[] body) {
    try {
      return IdentifyCodec.decode(body);
    } catch (ProtocolViolationException e) {
      throw new CompletionException(e);
    }
  }

  private void apply(Connection connection, IdentifyInfo info, boolean push) {
    PeerId peer = connection.remotePeer();
    if (info.publicKey() != null) {
      if (!PeerId.fromPublicKey(info.publicKey()).equals(peer)) {
        throw new CompletionException(new ProtocolViolationException("identify carries a public key that is not " + peer + "'s"));
      }
      host.peerStore().setPublicKey(peer, info.publicKey());
    }
    if (!info.listenAddrs().isEmpty() || !push) {
      List<Multiaddr> addrs = info.listenAddrs().stream().map(Multiaddr::withoutPeerId).toList();
      host.peerStore().setAddresses(peer, addrs, PeerStore.CONNECTED_ADDRESS_TTL_MILLIS);
    }
    if (!info.protocols().isEmpty() || !push) host.peerStore().setProtocols(peer, new HashSet<>(info.protocols()));
    if (info.signedPeerRecord() != null) acceptRecord(peer, info.signedPeerRecord());
    IdentifyInfo merged = info;
    IdentifyInfo old = identified.get(peer);
    if (push && old != null) {
      merged = new IdentifyInfo(
          info.protocolVersion() != null ? info.protocolVersion() : old.protocolVersion(),
          info.agentVersion() != null ? info.agentVersion() : old.agentVersion(),
          info.publicKey() != null ? info.publicKey() : old.publicKey(),
          info.listenAddrs().isEmpty() ? old.listenAddrs() : info.listenAddrs(),
          info.observedAddr() != null ? info.observedAddr() : old.observedAddr(),
          info.protocols().isEmpty() ? old.protocols() : info.protocols(),
          info.signedPeerRecord() != null ? info.signedPeerRecord() : old.signedPeerRecord(), 0);
    }
    identified.put(peer, merged);
    if (info.observedAddr() != null) {
      for (var l : observedListeners) l.accept(connection, info.observedAddr());
    }
    context.emit(new HostEvent.PeerIdentified(peer));
  }

  private void acceptRecord(PeerId peer, byte[] envelope) {
    try {
      PeerRecord r = PeerRecord.open(envelope);
      if (!r.peerId().equals(peer)) {
        LOG.debug("{} sent the signed peer record of {}: dropped", peer, r.peerId());
        return;
      }
      // A newer record replaces an older one, never the reverse (RFC 0003).
      certified.merge(peer, r, (old, neu) -> neu.seq() >= old.seq() ? neu : old);
    } catch (InvalidRecordException e) {
      LOG.debug("{} sent a signed peer record that does not verify ({}): dropped", peer, e.getMessage());
    }
  }

  private void misbehaved(Connection connection, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof ProtocolViolationException) {
      LOG.warn("closing connection {} to {}: bad identify message: {}", connection.id(), connection.remotePeer(), cause.getMessage());
      connection.close();
    } else {
      LOG.debug("identify of {} failed: {}", connection.remotePeer(), cause.toString());
    }
  }

  private void schedulePush() {
    Cancellable old = pendingPush;
    if (old != null) old.cancel();
    pendingPush = context.scheduler().schedule(IdentifyProtocol.PUSH_DEBOUNCE_MILLIS, this::pushAll);
  }

  /** Sends our current record to every connected peer that speaks identify push. */
  public void pushAll() {
    for (Connection c : host.connections()) {
      if (!host.peerStore().protocols(c.remotePeer()).contains(IdentifyProtocol.PUSH_ID)) continue;
      c.newStream(List.of(IdentifyProtocol.PUSH_ID)).thenAccept(stream -> {
        stream.setHandler(new DiscardingHandler());
        stream.write(Unpooled.wrappedBuffer(IdentifyCodec.encodeDelimited(localInfo(c))));
        stream.closeWrite();
      }).exceptionally(e -> {
        LOG.debug("identify push to {} failed: {}", c.remotePeer(), e.toString());
        return null;
      });
    }
  }

  @Override public void close() throws Exception {
    subscription.close();
    Cancellable p = pendingPush;
    if (p != null) p.cancel();
  }
}
