package dev.weft.p2p.protocol.autonat;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.api.Stream;
import dev.weft.p2p.host.BasicHost;
import dev.weft.p2p.multiformats.Multiaddr;
import dev.weft.p2p.protocol.autonat.v1.V1Codec;
import dev.weft.p2p.protocol.autonat.v1.V1Message;
import dev.weft.p2p.protocol.autonat.v2.V2ClientExchange;
import dev.weft.p2p.protocol.autonat.v2.V2Codec;
import dev.weft.p2p.protocol.autonat.v2.V2Message;
import dev.weft.p2p.protocol.autonat.v2.V2Result;
import dev.weft.p2p.protocol.io.ProtocolViolationException;
import dev.weft.p2p.time.Scheduler;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AutoNAT client: asks one server to test addresses (v2, per address, nonce-verified) or to dial
 * us (v1, for js-libp2p servers), and answers v2 dial-backs. The per-request logic is
 * {@link V2ClientExchange}; results go to a {@link Reachability} through {@link AutonatProbe}.
 *
 * <p>Dial-back streams are accepted only for nonces we have outstanding; any other nonce, or a
 * malformed message, resets the stream. Requests never fail: every outcome is a result.
 */
public final class AutonatClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutonatClient.class);

  private final BasicHost host;
  private final Scheduler scheduler;
  private final AutonatClientConfig config;
  private final Random random;
  /** Outstanding v2 nonces → whether their dial-back arrived. Bounded by requests in flight. */
  private final Map<Long, AtomicBoolean> nonces = new ConcurrentHashMap<>();

  private AutonatClient(BasicHost host, AutonatClientConfig config, Random random) {
    this.host = host;
    this.scheduler = host.scheduler();
    this.config = config;
    this.random = random;
  }

  /** Installs the dial-back handler on {@code host}; the host closes it. {@code random} makes the nonces. */
  public static AutonatClient install(BasicHost host, AutonatClientConfig config, Random random) {
    AutonatClient c = new AutonatClient(host, config, random);
    host.setStreamHandler(AutonatProtocol.V2_DIAL_BACK, c::onDialBack);
    host.own(c);
    return c;
  }

  /** Asks {@code server} (v2) to dial one of {@code addrs}, in priority order. */
  public CompletableFuture<V2Result> checkV2(PeerId server, List<Multiaddr> addrs) {
    long nonce;
    synchronized (random) {
      nonce = random.nextLong();
    }
    AtomicBoolean received = new AtomicBoolean();
    nonces.put(nonce, received);
    V2ClientExchange ex = new V2ClientExchange(addrs, nonce, config.maxDialDataBytes());
    CompletableFuture<V2Result> out = new CompletableFuture<>();
    host.newStream(server, List.of(AutonatProtocol.V2_DIAL_REQUEST)).thenAccept(stream ->
        MessageStream.attach(stream, AutonatLimits.MAX_MESSAGE_BYTES, config.requestTimeoutMillis(), scheduler, new MessageStream.Listener() {
          @Override public void onMessage(MessageStream ms, byte[] body) throws ProtocolViolationException {
            switch (ex.onMessage(V2Codec.decode(body), received.get())) {
              case V2ClientExchange.Action.SendDialData d -> {
                for (long left = d.bytes(); left > 0; left -= AutonatLimits.MAX_DIAL_DATA_CHUNK) {
                  ms.send(V2Codec.encode(new V2Message.DialDataResponse((int) Math.min(left, AutonatLimits.MAX_DIAL_DATA_CHUNK))));
                }
              }
              case V2ClientExchange.Action.Finished f -> {
                if (f.reset()) ms.abort();
                else ms.finish();
                out.complete(f.result());
              }
            }
          }

          @Override public void onFailed(Throwable cause) {
            out.complete(new V2Result.Inconclusive("request failed: " + cause));
          }
        }).send(V2Codec.encode(ex.request()))
    ).exceptionally(e -> {
      out.complete(new V2Result.Inconclusive("cannot open a dial-request stream: " + unwrap(e)));
      return null;
    });
    return out.whenComplete((r, e) -> nonces.remove(nonce));
  }

  /** Asks {@code server} (v1) to dial us at {@code addrs}. */
  public CompletableFuture<V1Message.DialResponse> checkV1(PeerId server, List<Multiaddr> addrs) {
    CompletableFuture<V1Message.DialResponse> out = new CompletableFuture<>();
    byte[] dial = V1Codec.encode(new V1Message.Dial(host.peerId().bytes(), addrs));
    host.newStream(server, List.of(AutonatProtocol.V1_ID)).thenAccept(stream ->
        MessageStream.attach(stream, AutonatLimits.MAX_MESSAGE_BYTES, config.requestTimeoutMillis(), scheduler, new MessageStream.Listener() {
          @Override public void onMessage(MessageStream ms, byte[] body) throws ProtocolViolationException {
            if (!(V1Codec.decode(body) instanceof V1Message.DialResponse r)) throw new ProtocolViolationException("expected a DialResponse");
            ms.finish();
            out.complete(r);
          }

          @Override public void onFailed(Throwable cause) {
            out.complete(new V1Message.DialResponse(V1Message.Status.E_INTERNAL_ERROR, "request failed: " + cause, null));
          }
        }).send(dial)
    ).exceptionally(e -> {
      out.complete(new V1Message.DialResponse(V1Message.Status.E_INTERNAL_ERROR, "cannot open an autonat v1 stream: " + unwrap(e), null));
      return null;
    });
    return out;
  }

  private void onDialBack(Stream stream) {
    MessageStream.attach(stream, AutonatLimits.MAX_MESSAGE_BYTES, config.dialBackTimeoutMillis(), scheduler, new MessageStream.Listener() {
      @Override public void onMessage(MessageStream ms, byte[] body) throws ProtocolViolationException {
        long nonce = V2Codec.decodeDialBack(body);
        AtomicBoolean pending = nonces.get(nonce);
        if (pending == null) throw new ProtocolViolationException("dial-back with a nonce we did not send");
        // Set before answering: the server sends its DialResponse only after our answer, so the
        // request stream always sees the flag.
        pending.set(true);
        ms.send(V2Codec.encodeDialBackResponse());
        ms.finish();
      }

      @Override public void onFailed(Throwable cause) {
        LOG.debug("dial-back stream from {} failed: {}", stream.remotePeer(), cause.toString());
      }
    });
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  @Override public void close() {
    host.removeStreamHandler(AutonatProtocol.V2_DIAL_BACK);
  }
}
