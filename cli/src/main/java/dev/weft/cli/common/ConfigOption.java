package dev.weft.cli.common;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option of long-running commands (a picocli mixin). The file is read
 * before parsing by {@link dev.weft.cli.Main} (see {@link ConfigFile}); this mixin declares the
 * option so it is accepted and documented.
 */
public final class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE",
      description = "TOML file of option defaults: keys are option names ([p2p.serve] listen = [...]); the command line wins.")
  public Path config;
}
