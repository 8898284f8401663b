package dev.weft.p2p.protocol.autonat.v2;

import dev.weft.p2p.multiformats.Multiaddr;
import java.util.List;

/**
 * The client's side of one dial-request stream, as a state machine.
 *
 * <pre>
 *   AWAIT_RESPONSE --DialDataRequest (once, within our budget)--> AWAIT_RESPONSE (send data)
 *                  --DialDataRequest beyond the budget----------> DONE (abort: Inconclusive)
 *                  --DialResponse-------------------------------> DONE (result)
 * </pre>
 *
 * A response "dialled OK" counts only if the dial-back carrying our nonce really arrived (the
 * spec's nonce check): a server that claims success without dialling learns us nothing.
 */
public final class V2ClientExchange {
  public sealed interface Action {
    /** Send {@code bytes} of dial data (in chunks of at most 4096) and keep reading. */
    record SendDialData(long bytes) implements Action {}

    /** The exchange is over with this result; {@code reset} when the stream should be reset. */
    record Finished(V2Result result, boolean reset) implements Action {}
  }

  private final List<Multiaddr> addrs;
  private final long nonce;
  private final long maxDialDataBytes;
  private boolean askedForData;
  private int paidIdx = -1;
  private long paid;
  private boolean done;

  /** @param maxDialDataBytes most dial data we will send for this request (0: never pay) */
  public V2ClientExchange(List<Multiaddr> addrs, long nonce, long maxDialDataBytes) {
    if (addrs.isEmpty()) throw new IllegalArgumentException("nothing to test");
    this.addrs = List.copyOf(addrs);
    this.nonce = nonce;
    this.maxDialDataBytes = maxDialDataBytes;
  }

  public V2Message.DialRequest request() {
    return V2Message.DialRequest.of(addrs, nonce);
  }

  public long nonce() {
    return nonce;
  }

  /** Dial data sent so far. */
  public long paid() {
    return paid;
  }

  /**
   * @param dialBackReceived whether a dial-back with our nonce has arrived by now (asked only
   *     for a DialResponse; the server sends it after the dial-back finished)
   */
  public Action onMessage(V2Message m, boolean dialBackReceived) {
    if (done) return new Action.Finished(new V2Result.Inconclusive("exchange already finished"), true);
    switch (m) {
      case V2Message.DialDataRequest r -> {
        if (askedForData) return finish("server asked for dial data twice", true);
        askedForData = true;
        if (r.addrIdx() >= addrs.size()) return finish("server asked for dial data for address #" + r.addrIdx() + " of " + addrs.size(), true);
        if (r.numBytes() > maxDialDataBytes) return finish("server asked for " + r.numBytes() + " bytes of dial data (we pay at most " + maxDialDataBytes + ")", true);
        paidIdx = r.addrIdx();
        paid = r.numBytes();
        return new Action.SendDialData(r.numBytes());
      }
      case V2Message.DialResponse r -> {
        done = true;
        return switch (r.status()) {
          case E_REQUEST_REJECTED -> finish("server rejected the request (rate limit or load)", false);
          case E_DIAL_REFUSED -> finish("server refused to dial any of our addresses", false);
          case E_INTERNAL_ERROR -> finish("server had an internal error", false);
          case OK -> okResponse(r, dialBackReceived);
        };
      }
      default -> {
        return finish("unexpected " + m.getClass().getSimpleName() + " from the server", true);
      }
    }
  }

  private Action okResponse(V2Message.DialResponse r, boolean dialBackReceived) {
    if (r.addrIdx() >= addrs.size()) return finish("response names address #" + r.addrIdx() + " of " + addrs.size(), true);
    if (paidIdx >= 0 && r.addrIdx() != paidIdx) return finish("we paid for address #" + paidIdx + " but the server dialled #" + r.addrIdx(), true);
    Multiaddr a = addrs.get(r.addrIdx());
    return switch (r.dialStatus()) {
      case OK -> dialBackReceived ? new Action.Finished(new V2Result.Reachable(a), false)
          : finish("server claims it dialled " + a + " but our nonce never arrived", false);
      case E_DIAL_ERROR -> dialBackReceived ? finish("server says the dial failed but our nonce arrived", false)
          : new Action.Finished(new V2Result.Unreachable(a), false);
      case E_DIAL_BACK_ERROR -> finish("server connected to " + a + " but could not deliver the nonce", false);
      case UNUSED -> finish("OK response without a dial status", true);
    };
  }

  private Action finish(String why, boolean reset) {
    done = true;
    return new Action.Finished(new V2Result.Inconclusive(why), reset);
  }
}
