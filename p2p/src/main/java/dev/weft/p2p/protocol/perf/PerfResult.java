package dev.weft.p2p.protocol.perf;

/**
 * One perf run as measured by the client.
 *
 * @param uploadNanos from stream open until the server started answering (it only answers once it
 *     has read the whole upload)
 * @param downloadNanos from the server's first byte until its last
 */
public record PerfResult(long uploadBytes, long downloadBytes, long uploadNanos, long downloadNanos) {
  public double uploadBytesPerSecond() {
    return uploadNanos == 0 ? 0 : uploadBytes * 1e9 / uploadNanos;
  }

  public double downloadBytesPerSecond() {
    return downloadNanos == 0 ? 0 : downloadBytes * 1e9 / downloadNanos;
  }
}
