package dev.weft.cli.train;

import picocli.CommandLine.Command;

/** {@code weft train}: the training engine without the network. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a model locally: DiLoCo with N workers in one process, the DiLoCo-vs-data-parallel comparison, or the speed benchmark.",
    subcommands = {TrainLocalCommand.class, TrainCompareCommand.class, TrainBenchCommand.class},
    footer = {"", "Examples:", "  weft train local", "  weft train compare --json", "  weft train bench 1 2"})
public final class TrainCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
