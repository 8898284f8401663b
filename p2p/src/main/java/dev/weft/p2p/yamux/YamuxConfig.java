package dev.weft.p2p.yamux;

/**
 * Limits and windows of a Yamux session.
 *
 * @param maxStreams streams open at once per connection; an inbound SYN beyond it is answered RST
 * @param initialWindow the per-stream receive window both sides assume (256 KiB by the spec)
 * @param maxWindow the largest per-stream receive window we grow to while a stream is being read
 *     quickly (window growth is what lets one stream fill a fast link)
 * @param maxBufferedPerSession bytes held across all streams for handlers not yet installed;
 *     beyond it the stream whose data overflows is reset
 * @param maxAckBacklog outbound streams not yet acknowledged by the remote (spec: SHOULD be 256)
 * @param negotiationTimeoutMillis multistream-select on a new stream
 */
public record YamuxConfig(int maxStreams, int initialWindow, int maxWindow, long maxBufferedPerSession,
    int maxAckBacklog, long negotiationTimeoutMillis) {
  /** The window every Yamux peer starts a stream with (yamux/README.md#flow-control). */
  public static final int SPEC_INITIAL_WINDOW = 256 * 1024;

  public static final YamuxConfig DEFAULT = new YamuxConfig(512, SPEC_INITIAL_WINDOW, 16 * 1024 * 1024, 32L * 1024 * 1024, 256, 10_000);

  public YamuxConfig {
    if (maxStreams < 1) throw new IllegalArgumentException("maxStreams must be positive");
    if (initialWindow != SPEC_INITIAL_WINDOW) throw new IllegalArgumentException("the initial window is fixed by the spec at 256 KiB");
    if (maxWindow < initialWindow) throw new IllegalArgumentException("maxWindow below the initial window");
    if (maxBufferedPerSession < initialWindow) throw new IllegalArgumentException("maxBufferedPerSession below one window");
    if (maxAckBacklog < 1) throw new IllegalArgumentException("maxAckBacklog must be positive");
    if (negotiationTimeoutMillis <= 0) throw new IllegalArgumentException("negotiationTimeoutMillis must be positive");
  }

  public YamuxConfig withMaxStreams(int n) {
    return new YamuxConfig(n, initialWindow, maxWindow, maxBufferedPerSession, maxAckBacklog, negotiationTimeoutMillis);
  }

  public YamuxConfig withMaxWindow(int n) {
    return new YamuxConfig(maxStreams, initialWindow, n, maxBufferedPerSession, maxAckBacklog, negotiationTimeoutMillis);
  }

  public YamuxConfig withMaxBufferedPerSession(long n) {
    return new YamuxConfig(maxStreams, initialWindow, maxWindow, n, maxAckBacklog, negotiationTimeoutMillis);
  }
}
