package dev.weft.node.round.msg;

/**
 * Bounds on everything a peer can make us parse or hold for the round protocol. Checked before
 * decoding (message bytes) and right after (repeated counts), so a hostile frame costs at most
 * {@link #maxMessageBytes} of parsing.
 *
 * @param maxMessageBytes largest envelope on the wire (a certificate at n=1024 voters and 4096
 *     contributors is about 1.3 MB; 4 MiB leaves room without letting one message pin much memory)
 * @param maxVoters largest voter set
 * @param maxContributors largest contributor list per round (report bitmaps have this many bits)
 * @param maxEvidence evidence items one value may seal
 * @param maxRunIdBytes run id length
 * @param maxSmallBodyBytes any body that is not a proposal, certificate, null round or evidence
 */
public record RoundLimits(
    int maxMessageBytes, int maxVoters, int maxContributors, int maxEvidence, int maxRunIdBytes, int maxSmallBodyBytes) {
  public RoundLimits {
    if (maxMessageBytes < 1024 || maxMessageBytes > 64 << 20) throw new IllegalArgumentException("maxMessageBytes must be in [1 KiB, 64 MiB]");
    if (maxVoters < 1 || maxVoters > 1 << 16) throw new IllegalArgumentException("maxVoters must be in [1, 65536]");
    if (maxContributors < 1 || maxContributors > 1 << 20) throw new IllegalArgumentException("maxContributors must be in [1, 2^20]");
    if (maxEvidence < 0 || maxEvidence > 4096) throw new IllegalArgumentException("maxEvidence must be in [0, 4096]");
    if (maxRunIdBytes < 1 || maxRunIdBytes > 1024) throw new IllegalArgumentException("maxRunIdBytes must be in [1, 1024]");
    if (maxSmallBodyBytes < 256 + maxContributors / 8 || maxSmallBodyBytes > maxMessageBytes) {
      throw new IllegalArgumentException("maxSmallBodyBytes must hold a full report bitmap and fit a message");
    }
  }

  public static RoundLimits defaults() {
    return new RoundLimits(4 << 20, 1024, 4096, 64, 128, 2048);
  }
}
