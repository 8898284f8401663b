package dev.weft.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.aggregation.Aggregator;
import dev.weft.aggregation.Aggregators;
import dev.weft.aggregation.codec.Codec;
import dev.weft.aggregation.codec.Codecs;
import dev.weft.node.train.AdamWConfig;
import dev.weft.node.train.LrSchedule;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.ModelSpecs;
import dev.weft.node.train.diloco.OuterConfig;
import java.nio.charset.StandardCharsets;

/**
 * What a coordinator publishes about a run and every volunteer must agree on: the model, the
 * DiLoCo hyper-parameters, the aggregation rule and codec, the round timing. Published as the
 * payload of a signed {@code /weft/run/<coordinator>/<name>} DHT record (JSON).
 *
 * <p>A stand-in for wt-node's signed run manifest ({@code node/run}, TOML with per-field
 * validation, data shards by CID, admission policy), which replaces it. The initial parameters
 * are derived from {@link #seed} and checked against {@link #initialHash}, which stands in for
 * seeding a checkpoint blob.
 *
 * @param rounds rounds to run (0: until stopped)
 * @param checkpointEvery a node writes its checkpoint file every this many rounds
 * @param members the run's members, fixed by the coordinator: every honest peer must derive the same
 *     voter set for a round from certified data, and admission of newcomers by a certified
 *     membership change is not built yet (see docs/testnet.md)
 */
public record RunSpec(String name, String model, int innerSteps, int rows, double lr, double outerLr, double outerMomentum,
    String aggregator, String codec, long seed, int rounds, long cutoffMillis, long viewTimeoutMillis,
    int minContributions, int checkpointEvery, String initialHash, java.util.List<Member> members, InnerOptimizer innerOptimizer) {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Largest encoded spec accepted (the DHT value limit is 16 KiB, the signature included). */
  public static final int MAX_BYTES = 8 * 1024;

  public RunSpec {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) throw new IllegalArgumentException("name: 1-64 letters, digits, '.', '_' or '-', got " + name);
    ModelSpecs.parse(model);
    if (innerSteps < 1 || innerSteps > 100_000) throw new IllegalArgumentException("innerSteps must be 1..100000: " + innerSteps);
    if (rows < 1 || rows > 65_536) throw new IllegalArgumentException("rows must be 1..65536: " + rows);
    if (!(lr > 0 && lr < 10)) throw new IllegalArgumentException("lr must be in (0, 10): " + lr);
    if (!(outerLr > 0 && outerLr <= 10)) throw new IllegalArgumentException("outerLr must be in (0, 10]: " + outerLr);
    if (!(outerMomentum >= 0 && outerMomentum < 1)) throw new IllegalArgumentException("outerMomentum must be in [0, 1): " + outerMomentum);
    Aggregators.parse(aggregator);
    Codecs.parse(codec);
    if (rounds < 0) throw new IllegalArgumentException("rounds must be >= 0");
    if (cutoffMillis < 1 || viewTimeoutMillis < 1) throw new IllegalArgumentException("timeouts must be positive");
    if (minContributions < 1) throw new IllegalArgumentException("minContributions must be >= 1");
    if (checkpointEvery < 1) throw new IllegalArgumentException("checkpointEvery must be >= 1");
    members = members == null ? java.util.List.of() : java.util.List.copyOf(members);
    if (innerOptimizer == null) innerOptimizer = InnerOptimizer.DEFAULT;
    if (members.size() > MAX_MEMBERS) throw new IllegalArgumentException("at most " + MAX_MEMBERS + " members, got " + members.size());
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Member m : members) if (!seen.add(m.peer())) throw new IllegalArgumentException("member " + m.peer() + " listed twice");
  }

  /**
   * The inner AdamW's settings besides its learning rate (a manifest's {@code [inner]} table).
   * Absent from a spec encoded before it existed, which then decodes to {@link #DEFAULT}.
   *
   * @param warmupSteps linear warm-up steps; -1 for a tenth of the run's inner steps, at most 100
   */
  public record InnerOptimizer(double beta1, double beta2, double weightDecay, double clipNorm, long warmupSteps) {
    /** DiLoCo's inner settings: betas 0.9/0.95, weight decay 0.1, clip 1.0, automatic warm-up. */
    public static final InnerOptimizer DEFAULT = new InnerOptimizer(0.9, 0.95, 0.1, 1.0, -1);

    public InnerOptimizer {
      if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("inner betas must be in [0, 1): " + beta1 + ", " + beta2);
      if (!(weightDecay >= 0 && weightDecay < 10)) throw new IllegalArgumentException("inner weight decay must be in [0, 10): " + weightDecay);
      if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) throw new IllegalArgumentException("inner clip norm must be finite and >= 0 (0: no clipping): " + clipNorm);
      if (warmupSteps < -1) throw new IllegalArgumentException("warmupSteps must be -1 (automatic) or >= 0: " + warmupSteps);
    }
  }

  /** Most members a spec may list (it must fit {@link #MAX_BYTES}). */
  public static final int MAX_MEMBERS = 64;

  /**
   * One member: its peer id (base58) and the first round it votes in (it may contribute from the
   * start; a voter that is not yet online would only cost the others liveness margin).
   */
  public record Member(String peer, long fromRound) {
    public Member {
      dev.weft.p2p.api.PeerId.parse(peer);
      if (fromRound < 0) throw new IllegalArgumentException("fromRound must be >= 0");
    }
  }

  public RunSpec withMembers(java.util.List<Member> list) {
    return new RunSpec(name, model, innerSteps, rows, lr, outerLr, outerMomentum, aggregator, codec, seed, rounds, cutoffMillis,
        viewTimeoutMillis, minContributions, checkpointEvery, initialHash, list, innerOptimizer);
  }

  /** A small run that trains in seconds per round on 2 cores. */
  public static RunSpec small(String name, String model, long seed, int rounds) {
    ModelSpec m = ModelSpecs.parse(model);
    boolean gpt = m instanceof dev.weft.node.train.GptConfig;
    RunSpec draft = new RunSpec(name, model, gpt ? 10 : 20, gpt ? 8 : 32, gpt ? 2e-3 : 1e-2, 0.7, 0.9,
        Aggregators.DEFAULT_SPEC, "bf16", seed, rounds, 20_000, 5_000, 1, 1, "", null, null);
    return draft.withInitialHash();
  }

  public RunSpec withInnerOptimizer(InnerOptimizer o) {
    return new RunSpec(name, model, innerSteps, rows, lr, outerLr, outerMomentum, aggregator, codec, seed, rounds, cutoffMillis,
        viewTimeoutMillis, minContributions, checkpointEvery, initialHash, members, o);
  }

  public RunSpec withAggregator(String rule) {
    return new RunSpec(name, model, innerSteps, rows, lr, outerLr, outerMomentum, rule, codec, seed, rounds, cutoffMillis,
        viewTimeoutMillis, minContributions, checkpointEvery, initialHash, members, innerOptimizer);
  }

  public RunSpec withTiming(long cutoff, long viewTimeout) {
    return new RunSpec(name, model, innerSteps, rows, lr, outerLr, outerMomentum, aggregator, codec, seed, rounds, cutoff,
        viewTimeout, minContributions, checkpointEvery, initialHash, members, innerOptimizer);
  }

  public RunSpec withInitialHash() {
    String h = ParameterHash.hex(modelSpec().initialParameters(seed));
    return new RunSpec(name, model, innerSteps, rows, lr, outerLr, outerMomentum, aggregator, codec, seed, rounds, cutoffMillis,
        viewTimeoutMillis, minContributions, checkpointEvery, h, members, innerOptimizer);
  }

  public ModelSpec modelSpec() {
    return ModelSpecs.parse(model);
  }

  public Aggregator aggregatorRule() {
    return Aggregators.parse(aggregator);
  }

  public Codec codecImpl() {
    return Codecs.parse(codec);
  }

  public OuterConfig outer() {
    return new OuterConfig(outerLr, outerMomentum, true);
  }

  /** AdamW with warm-up then cosine over the run's planned inner steps (a long horizon when unbounded). */
  public AdamWConfig inner() {
    long total = (long) (rounds == 0 ? 1000 : rounds) * innerSteps;
    long warmup = innerOptimizer.warmupSteps() >= 0 ? innerOptimizer.warmupSteps() : Math.max(1, Math.min(100, total / 10));
    LrSchedule schedule = new LrSchedule(lr, warmup, total, 0.1);
    if (innerOptimizer.equals(InnerOptimizer.DEFAULT)) return AdamWConfig.defaults(schedule);
    AdamWConfig d = AdamWConfig.defaults(schedule);
    return new AdamWConfig(innerOptimizer.beta1(), innerOptimizer.beta2(), d.eps(), innerOptimizer.weightDecay(), innerOptimizer.clipNorm(), schedule);
  }


  public byte[] encode() {
    return toJson().toString().getBytes(StandardCharsets.UTF_8);
  }

  public ObjectNode toJson() {
    return JSON.valueToTree(this);
  }

  /** @throws IllegalArgumentException with the field at fault */
  public static RunSpec decode(byte[] data) {
    if (data.length > MAX_BYTES) throw new IllegalArgumentException("run spec of " + data.length + " bytes, limit " + MAX_BYTES);
    JsonNode j;
    try {
      j = JSON.readTree(data);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("run spec is not JSON: " + e.getMessage());
    }
    try {
      RunSpec s = JSON.treeToValue(j, RunSpec.class);
      if (!s.initialHash().equals(s.withInitialHash().initialHash())) throw new IllegalArgumentException("initialHash does not match the model and seed");
      return s;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException("bad run spec: " + c.getMessage());
    }
  }
}
