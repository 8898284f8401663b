package dev.weft.testnet;

import dev.weft.aggregation.Verdict;
import dev.weft.node.runtime.RoundRecord;
import dev.weft.node.train.report.Series;
import dev.weft.node.train.report.SvgPlot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Writes {@code report.md} and its SVG plots for a run and its clean twin. */
public final class Report {
  private Report() {}

  /** Writes the report into {@code dir}; returns the markdown. */
  public static String write(Path dir, TestnetResult r, TestnetResult clean, String command) throws IOException {
    Files.createDirectories(dir);
    Verdicts v = Verdicts.of(r, clean);
    Map<String, String> labelOf = new HashMap<>();
    for (TestnetResult.NodeInfo n : r.nodes()) labelOf.put(n.peerId(), n.label());
    TestnetConfig c = r.config();
    StringBuilder md = new StringBuilder();
    md.append("# weft testnet report\n\n");
    md.append("**Verdict:** ").append(v.line()).append(".\n\n");
    md.append("Command: `").append(command).append("`  \n");
    md.append(String.format(Locale.ROOT, "%d nodes (%d Byzantine: %s), %d rounds, model %s, rule %s, codec %s, H=%d, seed %d; %.0f s; load average %s%n%n",
        c.nodes(), c.byzantine(), c.byzantine() == 0 ? "none" : c.attack(), c.rounds(), c.model(), r.spec().aggregator(), r.spec().codec(),
        r.spec().innerSteps(), c.seed(), r.seconds(), loadAverage()));
    if (c.churn() > 0) {
      ChurnSchedule plan = Testnet.churnOf(c);
      md.append(String.format(Locale.ROOT, "Churn %.2f (planned from seed %d): kills %s, rejoins %s.%n%n", c.churn(), c.seed(),
          plan.kills().isEmpty() ? "none" : plan.kills(), plan.joins().isEmpty() ? "none" : plan.joins()));
    }
    md.append("Round protocol: `node/round`'s RoundMachine (availability reports, a proposal, prevotes and precommits, a seal certificate per round; "
        + "docs/round.md). Attackers here attack through their contributions; the robust rule answers them, and certified evidence bans equivocators.\n\n");

    // Loss per round.
    Series main = new Series("this run"), base = new Series("clean run (same seed)");
    r.loss().forEach((k, x) -> main.add(k, x));
    if (clean != null) clean.loss().forEach((k, x) -> base.add(k, x));
    List<Series> lossSeries = clean == null ? List.of(main) : List.of(main, base);
    Files.writeString(dir.resolve("loss.svg"), SvgPlot.render("validation loss per round", "rounds applied", "loss (nats/byte)", lossSeries), StandardCharsets.UTF_8);
    md.append("## Validation loss\n\n![loss](loss.svg)\n\n");
    md.append("| round | loss | clean | honest θ hashes | sealed | sealer | round s | overhead s |\n|---:|---:|---:|---|---:|---|---:|---:|\n");
    TreeMap<Long, RoundRecord> first = r.firstHonestRecords();
    Map<Long, Set<String>> hashes = new TreeMap<>();
    for (RoundRecord x : r.records()) if (r.isHonest(x.node())) hashes.computeIfAbsent(x.round(), k -> new HashSet<>()).add(x.thetaHash());
    for (Map.Entry<Long, RoundRecord> e : first.entrySet()) {
      long k = e.getKey();
      RoundRecord x = e.getValue();
      Double l = r.loss().get(k + 1), cl = clean == null ? null : clean.loss().get(k + 1);
      Set<String> h = hashes.getOrDefault(k, Set.of());
      long holders = r.records().stream().filter(y -> y.round() == k && r.isHonest(y.node())).count();
      md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %d | %s | %s | %s |%n", k, num(l), num(cl),
          h.size() == 1 ? "1 (`" + h.iterator().next().substring(0, 10) + "`, " + holders + " nodes)" : "**" + h.size() + " differ**",
          x.fates().size(), sealer(labelOf, x.sealedBy()), secs(r.roundMillis().get(k)), secs(r.overheadMillis().get(k))));
    }
    md.append('\n');

    // Contributions.
    md.append("## Contributions per node\n\n| node | role | accepted | down-weighted | rejected | last reason |\n|---|---|---:|---:|---:|---|\n");
    Map<String, Map<Verdict, Integer>> counts = r.verdictCounts();
    Map<String, String> lastReason = new HashMap<>();
    List<Series> influence = new ArrayList<>();
    for (TestnetResult.NodeInfo n : r.nodes()) {
      Series s = new Series(n.label() + (n.byzantine() ? " (Byzantine)" : ""));
      for (RoundRecord x : first.values()) {
        RoundRecord.Fate f = x.fateOf(n.peerId());
        if (f == null) continue;
        s.add(x.round(), f.influence());
        if (!f.reason().isEmpty()) lastReason.put(n.label(), f.reason());
      }
      influence.add(s);
    }
    for (TestnetResult.NodeInfo n : r.nodes()) {
      Map<Verdict, Integer> m = counts.getOrDefault(n.label(), Map.of());
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s |%n", n.label(), n.byzantine() ? "Byzantine" : "honest",
          m.getOrDefault(Verdict.ACCEPTED, 0), m.getOrDefault(Verdict.DOWNWEIGHTED, 0), m.getOrDefault(Verdict.REJECTED, 0),
          lastReason.getOrDefault(n.label(), "").replace("|", "/")));
    }
    Files.writeString(dir.resolve("influence.svg"), SvgPlot.render("influence kept by the aggregation rule", "round", "influence (1 = full weight)", influence), StandardCharsets.UTF_8);
    md.append("\n![influence](influence.svg)\n\n");

    // Bytes.
    md.append("## Bytes per node\n\nRound-protocol bytes are the signed frames sent and received point to point (each copy) plus the contribution blobs served and fetched; "
        + "checkpoint bytes are catch-up transfers; CRDT bytes are anti-entropy sessions.\n\n");
    md.append("| node | round out | round in | checkpoint out | checkpoint in | CRDT out | CRDT in |\n|---|---:|---:|---:|---:|---:|---:|\n");
    Series out = new Series("round protocol sent"), in = new Series("round protocol received");
    int idx = 0;
    for (TestnetResult.NodeInfo n : r.nodes()) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", n.label(), kib(n.roundBytesOut()), kib(n.roundBytesIn()),
          kib(n.checkpointBytesOut()), kib(n.checkpointBytesIn()), kib(n.crdtBytesOut()), kib(n.crdtBytesIn())));
      out.add(idx, n.roundBytesOut() / 1024.0);
      in.add(idx, n.roundBytesIn() / 1024.0);
      idx++;
    }
    Files.writeString(dir.resolve("bytes.svg"), SvgPlot.render("bytes per node (x = node index)", "node", "KiB", List.of(out, in)), StandardCharsets.UTF_8);
    md.append("\n![bytes](bytes.svg)\n\n");

    // Round durations.
    Series dur = new Series("round (previous applied to this applied)"), ovh = new Series("overhead (last contribution to last applied)");
    r.roundMillis().forEach((k, x) -> dur.add(k, x / 1000.0));
    r.overheadMillis().forEach((k, x) -> ovh.add(k, x / 1000.0));
    Files.writeString(dir.resolve("rounds.svg"), SvgPlot.render("round durations", "round", "seconds", List.of(dur, ovh)), StandardCharsets.UTF_8);
    md.append("## Round durations\n\n![rounds](rounds.svg)\n\n");

    md.append("## Bans\n\n");
    if (r.bans().isEmpty()) md.append("None.\n\n");
    for (TestnetResult.BanInfo b : r.bans()) md.append("- round ").append(b.round()).append(": ").append(b.label()).append(" banned — certified evidence: ").append(b.evidence()).append('\n');
    if (!r.bans().isEmpty()) md.append('\n');
    md.append("## Kills, joins, catch-ups, partitions and heals\n\n");
    if (r.events().isEmpty()) md.append("None.\n");
    for (TestnetResult.Event e : r.events()) md.append("- round ").append(e.round()).append(": ").append(e.node()).append(' ').append(e.kind()).append(" — ").append(e.detail()).append('\n');
    if (!r.partitions().isEmpty()) {
      md.append("\n## Partitions\n\n");
      md.append("| round | sides | expected | closed at split | across while split | refused | rounds applied while split | redialled | held s |\n"
          + "|---:|---|---|---:|---:|---:|---|---:|---:|\n");
      for (TestnetResult.PartitionInfo p : r.partitions()) {
        md.append(String.format(Locale.ROOT, "| %d | %s \\| %s | %s | %d | %d | %d | %d \\| %d | %d of %d | %.1f |%n", p.round(), String.join(", ", p.first()),
            String.join(", ", p.second()), p.prediction().replace("|", "/"), p.closed(), p.crossBeforeHeal(), p.refused(), p.firstSideRounds(),
            p.secondSideRounds(), p.redialled(), p.pairs(), p.heldSeconds()));
      }
    }
    md.append("\n## State checks\n\n");
    md.append("- ").append(r.finalState().line()).append('\n');
    for (String s : r.stateChecks()) md.append("- ").append(s).append('\n');
    boolean dash = r.nodes().stream().anyMatch(n -> n.dashboard() != null);
    if (dash) {
      md.append("\n## Dashboards (while the run was up)\n\n");
      for (TestnetResult.NodeInfo n : r.nodes()) if (n.dashboard() != null) md.append("- ").append(n.label()).append(": ").append(n.dashboard()).append('\n');
    }
    Files.writeString(dir.resolve("report.md"), md, StandardCharsets.UTF_8);
    return md.toString();
  }

  /** The sealer's label; a seal in a later view carries " (view v)" after the peer id. */
  private static String sealer(Map<String, String> labelOf, String sealedBy) {
    int cut = sealedBy.indexOf(' ');
    String peer = cut < 0 ? sealedBy : sealedBy.substring(0, cut), rest = cut < 0 ? "" : sealedBy.substring(cut);
    return labelOf.getOrDefault(peer, Testnet.shortId(peer)) + rest;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String num(Double d) {
    return d == null ? "–" : String.format(Locale.ROOT, "%.4f", d);
  }

  private static String secs(Long ms) {
    return ms == null ? "–" : String.format(Locale.ROOT, "%.1f", ms / 1000.0);
  }

  private static String kib(long b) {
    return String.format(Locale.ROOT, "%,.0f KiB", b / 1024.0);
  }
}
