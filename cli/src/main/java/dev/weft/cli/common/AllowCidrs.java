package dev.weft.cli.common;

import dev.weft.p2p.resource.AddressPrefix;
import dev.weft.p2p.resource.ResourceLimits;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code --allow-cidr}: source address blocks exempt from the host's per-IP and per-subnet
 * connection shares. Every node of a testnet on one machine (or behind one LAN's NAT) reaches the
 * others from the same address, so the shares that stop one attacker address from taking all
 * pending slots would also cap a whole testnet at one source's share. Only those four shares are
 * lifted; the totals, per-peer limits, stream and buffer limits and handshake deadlines still hold.
 *
 * <p>Each block is parsed as the option is read ({@link Converter}), so a bad one is a usage error
 * (exit 2) named with its reason, from the command line and from a {@code --config} file alike.
 */
public final class AllowCidrs {
  public static final String DESCRIPTION = "Source address block exempt from the per-IP and per-subnet connection shares, "
      + "e.g. 127.0.0.0/8 for a testnet on one machine or 192.168.1.0/24 for one LAN (repeatable or comma-separated; at most "
      + ResourceLimits.MAX_ALLOWLIST + "). Totals, per-peer, stream and buffer limits still apply.";

  private AllowCidrs() {}

  /** Parses one block; picocli reports the failure as "Invalid value for option '--allow-cidr'". */
  public static final class Converter implements CommandLine.ITypeConverter<AddressPrefix> {
    @Override public AddressPrefix convert(String value) {
      try {
        return AddressPrefix.parse(value.trim());
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage()); // it names the value
      }
    }
  }

  /**
   * The default limits with {@code blocks} as the allowlist; too many is a usage error of
   * {@code command} (an {@link IllegalArgumentException} where there is none: options built in code).
   */
  public static ResourceLimits limits(CommandLine command, List<AddressPrefix> blocks) {
    if (blocks.size() > ResourceLimits.MAX_ALLOWLIST) {
      String why = "--allow-cidr given " + blocks.size() + " times, at most " + ResourceLimits.MAX_ALLOWLIST;
      throw command == null ? new IllegalArgumentException(why) : new CommandLine.ParameterException(command, why);
    }
    return ResourceLimits.DEFAULT.withAllowlist(blocks);
  }
}
