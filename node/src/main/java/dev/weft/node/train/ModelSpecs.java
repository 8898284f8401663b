package dev.weft.node.train;

/**
 * Model specs as short strings, for checkpoint headers and the command line:
 * {@code gpt:NAME:LAYERS:WIDTH:HEADS:CONTEXT} and {@code mlp:NAME:WINDOW:HIDDEN}, plus the named
 * presets {@code gpt-micro}, {@code gpt-tiny}, {@code gpt2-small} and {@code mlp}.
 */
public final class ModelSpecs {
  private ModelSpecs() {}

  public static String format(ModelSpec spec) {
    return switch (spec) {
      case GptConfig g -> "gpt:" + g.name() + ":" + g.layers() + ":" + g.width() + ":" + g.heads() + ":" + g.context();
      case MlpConfig m -> "mlp:" + m.name() + ":" + m.window() + ":" + m.hidden();
    };
  }

  /** Parses a preset name or a full spec string; throws {@link IllegalArgumentException} saying what is wrong. */
  public static ModelSpec parse(String s) {
    switch (s) {
      case "gpt-micro": return GptConfig.micro();
      case "gpt-tiny": return GptConfig.tiny();
      case "gpt2-small": return GptConfig.gpt2Small();
      case "mlp": return MlpConfig.small();
      default: break;
    }
    String[] f = s.split(":", -1);
    try {
      if (f[0].equals("gpt") && f.length == 6) {
        return new GptConfig(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]));
      }
      if (f[0].equals("mlp") && f.length == 4) return new MlpConfig(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in model spec '" + s + "'");
    }
    throw new IllegalArgumentException("unknown model '" + s + "' (use gpt-micro, gpt-tiny, gpt2-small, mlp, gpt:NAME:L:W:H:CTX or mlp:NAME:WIN:HID)");
  }
}
