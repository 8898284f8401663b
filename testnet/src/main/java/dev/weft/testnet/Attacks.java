package dev.weft.testnet;

import dev.weft.aggregation.attack.Attack;
import dev.weft.aggregation.attack.AttackContext;
import dev.weft.aggregation.codec.Bf16Codec;
import dev.weft.aggregation.codec.Codec;
import dev.weft.node.runtime.ContributionTransform;
import dev.weft.p2p.api.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The testnet's attackers: a {@link ContributionTransform} built from an {@code aggregation/attack}
 * {@link Attack}. An attacker trains honestly, then waits (up to half the cut-off) until it holds
 * the honest peers' contributions of the round — it sits on the same gossip topic, so this is
 * the omniscient threat model of the literature realised on the network — and sends the crafted
 * vector instead of its own. {@code nan} sends a bf16 payload whose values are all NaN.
 */
public final class Attacks {
  /** Names accepted by {@link #parse}, with their default strength. */
  public static final String NAMES = "signflip[:S] (-S x own update, S=4), scale[:K] (K x own update, K=10), noise[:S] (Gaussian, S=10 x honest std),"
      + " alie, ipm[:E] (-E x honest mean, E=1), freeride (zero update), mimic (copies one honest peer), nan (NaN values),"
      + " equivocate (signs two different contributions per round: banned on certified evidence),"
      + " oversized (an update twice the model's length: undecodable, banned once sealed)";

  private Attacks() {}

  /** An attack by name; {@code colluders} are the other attackers (not waited for). */
  public static ContributionTransform parse(String spec, Set<PeerId> colluders, long seed) {
    String[] p = spec.trim().toLowerCase(Locale.ROOT).split(":", 2);
    Double arg = null;
    if (p.length > 1) {
      try {
        arg = Double.parseDouble(p[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("attack strength must be a number: " + spec);
      }
    }
    if (p[0].equals("nan")) return new NanAttack();
    if (p[0].equals("equivocate")) return new Equivocate();
    if (p[0].equals("oversized")) return new Oversized();
    Attack a = switch (p[0]) {
      case "signflip", "sign-flip" -> new Attack.SignFlip(arg == null ? 4 : arg);
      case "scale", "scaling" -> new Attack.Scaling(arg == null ? 10 : arg);
      case "noise" -> new Attack.GaussianNoise(arg == null ? 10 : arg);
      case "alie" -> arg == null ? Attack.Alie.auto() : new Attack.Alie(arg);
      case "ipm" -> new Attack.Ipm(arg == null ? 1 : arg);
      case "freeride", "free-ride" -> new Attack.FreeRider(false);
      case "mimic" -> new Attack.Mimic(0);
      default -> throw new IllegalArgumentException("unknown attack '" + spec + "'; use " + NAMES);
    };
    return new Crafted(a, Set.copyOf(colluders), seed);
  }

  /** Sends what {@code attack} crafts from its own Δ (first) and the honest ones it holds. */
  record Crafted(Attack attack, Set<PeerId> colluders, long seed) implements ContributionTransform {
    @Override public boolean waitsForOthers() {
      return true;
    }

    @Override public byte[] craft(float[] own, List<float[]> others, float[] previous, long round, Codec codec) {
      List<float[]> honest = new ArrayList<>();
      honest.add(own);
      honest.addAll(others);
      float[] v = attack.craft(new AttackContext(honest, 1, previous, seed * 7919 + round)).get(0);
      for (int i = 0; i < v.length; i++) if (!Float.isFinite(v[i])) v[i] = 0;
      return codec.encode(v);
    }
  }

  /**
   * Sends its own update twice over, encoded in the run's codec: a blob within the block
   * exchange's size limit (twice θ in float32) that no honest peer can decode as an update of
   * this model, so the voters that seal it reject it and ban its sender on the certified value.
   */
  record Oversized() implements ContributionTransform {
    @Override public byte[] craft(float[] own, List<float[]> others, float[] previous, long round, Codec codec) {
      float[] twice = java.util.Arrays.copyOf(own, own.length * 2);
      System.arraycopy(own, 0, twice, own.length, own.length);
      return codec.encode(twice);
    }
  }

  /** Trains honestly but signs a second contribution for each round: a protocol attack, not a gradient one. */
  record Equivocate() implements ContributionTransform {
    @Override public boolean equivocates() {
      return true;
    }

    @Override public byte[] craft(float[] own, List<float[]> others, float[] previous, long round, Codec codec) {
      return codec.encode(own);
    }
  }

  /** A well-formed bf16 header followed by NaN values: decoders must reject it, not propagate it. */
  record NanAttack() implements ContributionTransform {
    @Override public byte[] craft(float[] own, List<float[]> others, float[] previous, long round, Codec codec) {
      byte[] b = new Bf16Codec().encode(new float[own.length]);
      for (int i = b.length - 2 * own.length; i < b.length; i += 2) {
        b[i] = (byte) 0xC0;
        b[i + 1] = 0x7F;
      }
      return b;
    }
  }
}
