package dev.weft.cli.common;

import java.math.BigDecimal;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A byte count with an optional unit: {@code 4096}, {@code 10MiB}, {@code 1.5GB}, {@code 64k}.
 * SI units ({@code kB MB GB TB}) are powers of 1000; IEC units ({@code KiB MiB GiB TiB}) and the
 * single letters {@code k m g t} are powers of 1024 (what people mean by "64k" buffers). Case is
 * ignored for the prefix letter; fractions are allowed when the result is a whole number of bytes.
 */
public final class ByteSize implements ITypeConverter<Long> {
  /** The largest size any option accepts (1 PiB): larger values are typing mistakes. */
  public static final long MAX = 1L << 50;

  @Override public Long convert(String value) {
    return parse(value);
  }

  /** Parses {@code text}; throws {@link TypeConversionException} with the reason. */
  public static long parse(String text) {
    String s = text.trim();
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
    if (i == 0) throw new TypeConversionException("'" + text + "' is not a size (e.g. 4096, 64KiB, 10MiB, 1GB)");
    String unit = s.substring(i).trim();
    long multiplier = multiplier(unit, text);
    BigDecimal bytes;
    try {
      bytes = new BigDecimal(s.substring(0, i)).multiply(BigDecimal.valueOf(multiplier));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a size (e.g. 4096, 64KiB, 10MiB, 1GB)");
    }
    if (bytes.compareTo(BigDecimal.valueOf(MAX)) > 0) {
      throw new TypeConversionException("'" + text + "' is larger than the maximum of 1PiB");
    }
    try {
      return bytes.longValueExact();
    } catch (ArithmeticException e) {
      throw new TypeConversionException("'" + text + "' is not a whole number of bytes");
    }
  }

  private static long multiplier(String unit, String text) {
    if (unit.isEmpty() || unit.equals("B") || unit.equals("b")) return 1;
    String u = unit.endsWith("B") || unit.endsWith("b") ? unit.substring(0, unit.length() - 1) : unit;
    boolean iec = u.length() == 2 && (u.charAt(1) == 'i' || u.charAt(1) == 'I');
    boolean bare = u.length() == 1 && !unit.endsWith("B") && !unit.endsWith("b");
    if (u.isEmpty() || u.length() > 2 || (u.length() == 2 && !iec)) throw bad(text);
    int power = switch (Character.toLowerCase(u.charAt(0))) {
      case 'k' -> 1;
      case 'm' -> 2;
      case 'g' -> 3;
      case 't' -> 4;
      default -> throw bad(text);
    };
    long base = iec || bare ? 1024 : 1000;
    long m = 1;
    for (int p = 0; p < power; p++) m *= base;
    return m;
  }

  private static TypeConversionException bad(String text) {
    return new TypeConversionException("'" + text + "' has an unknown unit (use B, kB, MB, GB, TB, KiB, MiB, GiB, TiB)");
  }

  /** {@code 10485760} as {@code 10 MiB}, for messages. */
  public static String format(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }
}
