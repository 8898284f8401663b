package dev.weft.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** --config FILE: defaults from TOML, the command line wins, mistakes are named. */
class ConfigFileTest {
  @TempDir Path dir;

  @Command(name = "demo")
  static final class Demo implements Runnable {
    @Mixin ConfigOption config;

    @Option(names = "--listen", split = ",") List<String> listen;
    @Option(names = "--rounds", defaultValue = "5") int rounds;
    @Option(names = "--name") String name;

    @Override public void run() {}
  }

  private Demo parse(String toml, String... args) throws Exception {
    Path f = dir.resolve("c.toml");
    Files.writeString(f, toml);
    Demo d = new Demo();
    CommandLine cl = new CommandLine(d);
    ConfigFile file = ConfigFile.load(f);
    cl.setDefaultValueProvider(file);
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = f.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    cl.parseArgs(all);
    file.checkKeys(cl.getCommandSpec());
    return d;
  }

  @Test
  void valuesFromTheFileAndTheCommandLineWins() throws Exception {
    Demo d = parse("listen = [\"/ip4/1\", \"/ip4/2\"]\nrounds = 9\n");
    assertThat(d.listen).containsExactly("/ip4/1", "/ip4/2");
    assertThat(d.rounds).isEqualTo(9);
    Demo e = parse("rounds = 9\n", "--rounds", "3");
    assertThat(e.rounds).isEqualTo(3);
  }

  @Test
  void unknownKeyIsAnErrorNamingIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("roundz = 9\n"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("roundz");
  }

  @Test
  void invalidTomlNamesTheFile() throws Exception {
    Path f = dir.resolve("bad.toml");
    Files.writeString(f, "rounds = = 3\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigFile.load(f))
        .hasMessageContaining(f.toString()).hasMessageContaining("not valid TOML");
  }

  @Test
  void missingConfigFileExitsWithUsageStatusAndNamesIt() {
    StringWriter err = new StringWriter();
    int rc = Main.run(new String[] {"p2p", "serve", "--config", dir.resolve("none.toml").toString()}, new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    assertThat(rc).isEqualTo(2);
    assertThat(err.toString()).contains("none.toml").contains("no such file");
  }
}
