package dev.weft.cli;

import dev.weft.cli.common.ConfigFile;
import dev.weft.cli.common.Errors;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code weft} command. Each area registers its own subcommand class here.
 *
 * <p>Every command follows one output rule ({@link dev.weft.cli.common.Output}): human text on
 * stderr; with {@code --json}, JSON on stdout. Exit status: 0 success, 1 failure (one line
 * {@code weft: <what>: <why>} on stderr), 2 usage error (the message, then a pointer to
 * {@code --help}). Long-running commands take {@code --config FILE} (TOML; {@link ConfigFile}).
 */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    version = "weft 0.1.0",
    description = "Train neural networks together over a peer-to-peer network.",
    footer = {"", "Examples:",
        "  weft testnet                           a whole weft network here, with a report",
        "  weft train local                       4 DiLoCo workers on the built-in corpus",
        "  weft key new --out node.key            a node identity",
        "  weft p2p serve --key node.key --listen /ip4/0.0.0.0/tcp/4001",
        "  weft p2p ping /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...",
        "", "Every command has --help. Human text goes to stderr; --json puts JSON on stdout.",
        "Exit status: 0 ok, 1 failure, 2 bad usage."},
    subcommands = {
      CommandLine.HelpCommand.class,
      dev.weft.cli.key.KeyCommand.class,
      dev.weft.cli.train.TrainCommand.class,
      dev.weft.cli.p2p.P2pCommand.class,
      dev.weft.cli.bench.BenchCommand.class,
      dev.weft.cli.state.StateCommand.class,
      dev.weft.cli.run.RunCommand.class,
      dev.weft.cli.run.NodeCommand.class,
      dev.weft.cli.doctor.DoctorCommand.class,
      dev.weft.cli.testnet.TestnetCommand.class,
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    redirectStderr();
    System.exit(run(args, null, null));
  }

  /**
   * The launcher passes our real stderr as another descriptor (WEFT_ERR_FD) and filters fd 2 to
   * drop the JVM's incubator-module warning; Java's own output goes to the real one directly. The
   * descriptor itself is used (not reopened by path), so it shares its offset with every other
   * writer of the same file and nothing is overwritten when stderr is redirected to a file.
   */
  private static void redirectStderr() {
    String fd = System.getenv("WEFT_ERR_FD");
    if (fd == null || !fd.matches("[0-9]{1,3}")) return;
    try {
      java.io.FileDescriptor d = new java.io.FileDescriptor();
      java.lang.reflect.Field f = java.io.FileDescriptor.class.getDeclaredField("fd");
      f.setAccessible(true); // the launcher opens java.base/java.io for this
      f.setInt(d, Integer.parseInt(fd));
      if (!d.valid()) return;
      System.setErr(new java.io.PrintStream(new java.io.FileOutputStream(d), true, java.nio.charset.StandardCharsets.UTF_8));
    } catch (ReflectiveOperationException | RuntimeException e) {
      // keep fd 2: the warning may show, nothing is lost
    }
  }

  /** Runs {@code args} as the command line would, with {@code out}/{@code err} when not null (tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine();
    if (out != null) cl.setOut(out);
    if (err != null) cl.setErr(err);
    Path config = ConfigFile.find(args);
    if (config != null) {
      try {
        ConfigFile file = ConfigFile.load(config);
        cl.setDefaultValueProvider(file);
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parsed -> {
          CommandLine leaf = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
          file.checkKeys(leaf.getCommandSpec());
          return run.execute(parsed);
        });
      } catch (Errors.FileProblem e) {
        cl.getErr().println("weft: " + e.getMessage());
        cl.getErr().flush();
        return 2;
      }
    }
    return cl.execute(args);
  }

  /** The configured command line; tests drive it in-process. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
      line.getErr().println("weft: " + Errors.describe(ex));
      line.getErr().flush();
      return 1;
    });
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine line = ex.getCommandLine();
      PrintWriter w = line.getErr();
      w.println("weft: " + ex.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, w);
      String path = line.getCommandSpec().qualifiedName(" ");
      w.println("See '" + path + " --help'.");
      w.flush();
      return line.getCommandSpec().exitCodeOnInvalidInput();
    });
    return cl;
  }
}
