package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code weft} command. Each area registers its own subcommand class here; commands print
 * results on stdout (JSON where scripts consume them) and logs on stderr, and exit non-zero with a
 * one-line error when they fail.
 */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    version = "weft 0.1.0",
    description = "Train neural networks together over a peer-to-peer network.",
    subcommands = {
      CommandLine.HelpCommand.class,
      dev.weft.cli.key.KeyCommand.class,
      dev.weft.cli.train.TrainCommand.class,
      dev.weft.cli.p2p.P2pCommand.class,
      dev.weft.cli.bench.BenchCommand.class,
      dev.weft.cli.state.StateCommand.class,
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests drive it in-process. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
      line.getErr().println("weft: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
      return 1;
    });
    return cl;
  }
}
