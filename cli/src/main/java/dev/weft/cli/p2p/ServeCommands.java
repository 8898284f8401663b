package dev.weft.cli.p2p;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The commands {@code weft p2p serve} understands, by name. {@link #standard()} has the p2p ones
 * plus every {@link ServeCommand} found by {@link ServiceLoader}; later areas add theirs to
 * {@link #BUILT_IN} or through a service file.
 */
public final class ServeCommands {
  /** Commands of the p2p core; other areas append theirs. */
  public static final List<ServeCommand> BUILT_IN = List.of(
      new P2pServeCommands.Dial(),
      new P2pServeCommands.Ping(),
      new P2pServeCommands.Identify(),
      new P2pServeCommands.Perf(),
      new P2pServeCommands.Peers(),
      new P2pServeCommands.Disconnect());

  private final Map<String, ServeCommand> byName = new TreeMap<>();

  public ServeCommands register(ServeCommand c) {
    if (byName.putIfAbsent(c.name(), c) != null) throw new IllegalArgumentException("duplicate serve command " + c.name());
    return this;
  }

  public ServeCommand get(String name) {
    return byName.get(name);
  }

  public Map<String, ServeCommand> all() {
    return Map.copyOf(byName);
  }

  public static ServeCommands standard() {
    ServeCommands cs = new ServeCommands();
    BUILT_IN.forEach(cs::register);
    for (ServeCommand c : ServiceLoader.load(ServeCommand.class)) cs.register(c);
    return cs;
  }
}
