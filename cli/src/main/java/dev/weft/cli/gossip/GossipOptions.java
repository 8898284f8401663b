package dev.weft.cli.gossip;

import dev.weft.cli.p2p.ServeContext;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The gossipsub options of {@code weft p2p serve} (a picocli mixin). */
public final class GossipOptions {
  @Option(names = "--topic", paramLabel = "TOPIC", split = ",", description = "Subscribe to this gossipsub topic at start (repeatable or comma-separated); messages print as {\"event\":\"message\",...}.")
  List<String> topics = new ArrayList<>();

  /** Starts gossipsub on the session's host and joins the --topic topics (nothing when there are none). */
  public void attach(ServeContext ctx) {
    for (String t : topics) {
      if (t.isEmpty() || t.length() > GossipServeCommands.MAX_TOPIC_CHARS) throw new IllegalArgumentException("bad --topic " + t);
      GossipRegistry.of(ctx).subscribe(t).join();
    }
  }
}
