package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The rules every {@code weft} command keeps, checked over the whole command tree so that a new
 * command cannot forget them: examples in its help, {@code --json} for machine output (the output
 * rule of {@link dev.weft.cli.common.Output}), and {@code --config} on long-running commands.
 */
class CliRulesTest {
  /** Commands that run for minutes or until stopped: they take --config FILE. */
  static final Set<String> LONG_RUNNING = Set.of("weft p2p serve", "weft train local", "weft train compare", "weft node",
      "weft testnet", "weft run publish");

  /**
   * Commands that predate the output rule and are not converted yet (each is listed by name, so
   * the list can only shrink; every new command must follow the rules).
   */
  static final Set<String> NOT_YET_CONVERTED = Set.of();

  static List<CommandLine> all() {
    List<CommandLine> out = new ArrayList<>();
    walk(Main.commandLine(), out);
    return out;
  }

  private static void walk(CommandLine cl, List<CommandLine> out) {
    if (cl.getCommandName().equals("help")) return;
    if (!NOT_YET_CONVERTED.contains(cl.getCommandSpec().qualifiedName(" "))) out.add(cl);
    for (CommandLine sub : cl.getSubcommands().values()) walk(sub, out);
  }

  private static String name(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName(" ");
  }

  @Test
  void everyCommandHasExamplesInItsHelp() {
    List<String> missing = new ArrayList<>();
    for (CommandLine cl : all()) if (!cl.getUsageMessage().contains("Examples:")) missing.add(name(cl));
    assertThat(missing).as("commands whose --help has no 'Examples:' section").isEmpty();
  }

  @Test
  void everyLeafCommandHasJson() {
    List<String> missing = new ArrayList<>();
    for (CommandLine cl : all()) {
      CommandSpec s = cl.getCommandSpec();
      if (!s.subcommands().isEmpty()) continue;
      if (s.findOption("--json") == null) missing.add(name(cl));
    }
    assertThat(missing).as("leaf commands without --json").isEmpty();
  }

  @Test
  void longRunningCommandsTakeAConfigFile() {
    List<String> missing = new ArrayList<>();
    for (CommandLine cl : all()) {
      if (LONG_RUNNING.contains(name(cl)) && cl.getCommandSpec().findOption("--config") == null) missing.add(name(cl));
    }
    assertThat(missing).as("long-running commands without --config").isEmpty();
    assertThat(all().stream().map(CliRulesTest::name)).contains("weft p2p serve");
  }
}
