package dev.weft.p2p.resource;

import dev.weft.p2p.api.Connection;
import dev.weft.p2p.host.HostBuilder;
import dev.weft.p2p.multiformats.Multiaddr;
import java.util.concurrent.TimeUnit;

/**
 * The honest client of the flood tests: each ping is a new connection (dial, upgrade, identify
 * runs, one /ipfs/ping round trip, close), so it measures whether a newcomer gets in, not whether
 * an old connection survives.
 */
final class HonestPinger {
  record Result(int attempts, int succeeded, String firstFailure) {
    double rate() {
      return attempts == 0 ? 0 : (double) succeeded / attempts;
    }

    @Override public String toString() {
      return succeeded + " of " + attempts + " honest pings succeeded" + (firstFailure != null ? " (first failure: " + firstFailure + ")" : "");
    }
  }

  private HonestPinger() {}

  static Result run(HostBuilder.Built client, Multiaddr server, int count, long spacingMillis, long timeoutMillis) throws InterruptedException {
    int ok = 0;
    String firstFailure = null;
    for (int i = 0; i < count; i++) {
      Connection c = null;
      try {
        c = client.host().dial(server, true).get(timeoutMillis, TimeUnit.MILLISECONDS);
        client.ping().ping(c, 1).get(timeoutMillis, TimeUnit.MILLISECONDS);
        ok++;
      } catch (Exception e) {
        if (firstFailure == null) firstFailure = e.toString();
      } finally {
        if (c != null) {
          try {
            c.close().get(timeoutMillis, TimeUnit.MILLISECONDS);
          } catch (Exception ignored) {
            // already gone
          }
        }
      }
      Thread.sleep(spacingMillis);
    }
    return new Result(count, ok, firstFailure);
  }
}
