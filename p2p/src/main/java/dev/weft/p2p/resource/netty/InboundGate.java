package dev.weft.p2p.resource.netty;

import dev.weft.p2p.resource.ConnectionScope;
import dev.weft.p2p.resource.LimitExceededException;
import dev.weft.p2p.resource.ResourceManager;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side of inbound admission: asks the {@link ResourceManager} about a just-accepted
 * channel before any handler reads from it, closes what the manager sheds, releases the scope when
 * the channel closes, and enforces the handshake deadline — re-checked every
 * {@link dev.weft.p2p.resource.ResourceLimits#handshakeTimeoutUnderPressureMillis} so that a
 * connection which was within its 10 s when it came is cut at 2 s once slots grow scarce.
 *
 * <p>Call {@link #admit} from the channel initializer (the channel's event loop); call
 * {@link #upgraded} when the handshake has produced an authenticated muxer.
 */
public final class InboundGate {
  private static final Logger LOG = LoggerFactory.getLogger(InboundGate.class);

  private InboundGate() {}

  /** Admits {@code ch} or closes it at once; returns its scope, or null when refused. */
  public static ConnectionScope admit(Channel ch, ResourceManager rm) {
    InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
    if (remote == null || remote.getAddress() == null) {
      ch.close();
      return null;
    }
    ResourceManager.Admission a = rm.admitInbound(remote.getAddress());
    if (a instanceof ResourceManager.Admission.Refused r) {
      LOG.debug("refusing inbound connection from {}: {}", remote, r.reason());
      ch.close();
      return null;
    }
    ResourceManager.Admission.Admitted ok = (ResourceManager.Admission.Admitted) a;
    for (ConnectionScope victim : ok.shed()) {
      LOG.debug("shedding {} to admit {}", victim, remote);
      victim.closeConnection();
    }
    ConnectionScope scope = ok.scope();
    scope.onShed(ch::close);
    ch.closeFuture().addListener(f -> scope.close());
    watchDeadline(ch, rm, scope);
    return scope;
  }

  /**
   * The handshake produced a muxer for {@code remote}: counts it against the peer, or closes the
   * channel and returns false when the peer already has its share.
   */
  public static boolean upgraded(Channel ch, ConnectionScope scope, dev.weft.p2p.api.PeerId remote, long connectionId) {
    try {
      scope.upgraded(remote, connectionId);
      return true;
    } catch (LimitExceededException e) {
      LOG.debug("closing inbound connection from {}: {}", ch.remoteAddress(), e.getMessage());
      ch.close();
      return false;
    }
  }

  private static void watchDeadline(Channel ch, ResourceManager rm, ConnectionScope scope) {
    long full = rm.limits().handshakeTimeoutMillis();
    long step = rm.limits().handshakeTimeoutUnderPressureMillis();
    long age = rm.nowMillis() - scope.openedAtMillis();
    long delay = Math.max(1, Math.min(step - age % step, full - age));
    ch.eventLoop().schedule(() -> {
      if (!scope.isPending() || !ch.isOpen()) return;
      if (rm.overdue(scope)) {
        LOG.debug("closing {} from {}: handshake not done within {} ms", ch, ch.remoteAddress(), rm.handshakeTimeoutMillis());
        rm.handshakeTimedOut(scope);
        ch.close();
        return;
      }
      watchDeadline(ch, rm, scope);
    }, delay, TimeUnit.MILLISECONDS);
  }
}
