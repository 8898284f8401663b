package dev.weft.node.run;

import dev.weft.node.blocks.BlobId;
import dev.weft.p2p.api.PeerId;
import java.util.List;

/**
 * Everything a volunteer needs to join a run, fixed by the coordinator and signed with its key
 * ({@link SignedManifest}): the model and its initial checkpoint, the data shards, the DiLoCo
 * hyper-parameters, the aggregation rule, the round protocol's quorum, who may take part, and the
 * limits every peer enforces. Immutable once published: a run with other settings is another run.
 *
 * <p>Built only by {@link ManifestReader} (TOML from the coordinator, canonical JSON from the DHT),
 * which checks every field and every combination ({@link ManifestValidator}); the records here
 * hold no logic.
 */
public record RunManifest(
    int format,
    String name,
    PeerId coordinator,
    Model model,
    Data data,
    Training training,
    Inner inner,
    Outer outer,
    Aggregation aggregation,
    Round round,
    Admission admission,
    Limits limits) {
  /** The format of this record; a reader refuses others. */
  public static final int FORMAT = 1;

  /** {@code <coordinator base58>/<name>}: the run's id, and its DHT key after {@code /weft/run/}. */
  public String id() {
    return coordinator.toBase58() + "/" + name;
  }

  /**
   * @param spec a model spec ({@code gpt-tiny}, {@code gpt:NAME:L:W:H:CTX}, ...)
   * @param seed seed of the initial parameters
   * @param checkpoint blob of the initial checkpoint (round 0)
   */
  public record Model(String spec, long seed, BlobId checkpoint) {}

  /** Data shards by blob id; each peer trains on {@code shardsPerPeer} of them. */
  public record Data(List<BlobId> shards, int shardsPerPeer) {
    public Data {
      shards = List.copyOf(shards);
    }
  }

  /** H inner steps per round, rounds in all, a checkpoint every {@code checkpointEvery} rounds, rows per batch. */
  public record Training(int innerSteps, int rounds, int checkpointEvery, int batchRows) {}

  /** The inner optimizer (AdamW) and its schedule. */
  public record Inner(String optimizer, double lr, long warmupSteps, double beta1, double beta2, double weightDecay, double clipNorm) {}

  /** The outer optimizer: Nesterov momentum (DiLoCo) or plain SGD. */
  public record Outer(String optimizer, double lr, double momentum) {}

  /** Robust aggregation rule (an {@code Aggregators} spec), Byzantine contributions tolerated, update codec. */
  public record Aggregation(String rule, int f, String codec) {}

  /** The round protocol: reports needed to seal, the fewest contributions a round applies, voters at most. */
  public record Round(int quorum, int minContributions, int maxVoters) {}

  /** Who may contribute ({@code open} or {@code allowlist}) and after how many rounds of tenure a peer votes. */
  public record Admission(String policy, List<PeerId> allow, int voterTenureRounds) {
    public Admission {
      allow = List.copyOf(allow);
    }
  }

  /** Limits every peer enforces on the run's traffic. */
  public record Limits(long maxContributionBytes, int maxPeers, long roundTimeoutMillis) {}
}
