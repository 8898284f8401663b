package dev.weft.p2p.upgrade;

import dev.weft.p2p.api.PeerId;
import java.util.List;

/** A security stage (Noise, and later TLS): authenticates the remote and encrypts what follows. */
public interface SecurityBinding extends UpgradeBinding<SecurityBinding.Secured> {
  /**
   * What a secured channel is.
   *
   * @param remotePeer the authenticated remote identity
   * @param lastHandler the name of the handler behind which the next stage goes
   * @param remoteMuxers muxers the remote offered inside the handshake (empty: negotiate them next)
   */
  record Secured(PeerId remotePeer, String lastHandler, List<String> remoteMuxers) {
    public Secured {
      remoteMuxers = List.copyOf(remoteMuxers);
    }
  }
}
