package dev.weft.node.runtime;

import dev.weft.p2p.api.PeerId;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What the stand-in round protocol sends on the run's round topic. Authenticity comes from the
 * gossipsub envelope (strict signing): the runtime drops a message whose {@code peer} or
 * {@code sealer} is not the envelope's author before a driver sees it.
 */
public sealed interface RoundMessage {
  String run();

  long round();

  /**
   * One peer's pseudo-gradient for {@code round}, encoded by the run's codec, trained from the
   * parameters whose hash is {@code base}. Carried inline: the stand-in for a blob announcement
   * plus a block-exchange download.
   */
  record Contribution(String run, long round, PeerId peer, byte[] base, long tokens, byte[] payload) implements RoundMessage {
    public Contribution {
      Objects.requireNonNull(run);
      Objects.requireNonNull(peer);
      if (base.length != Digest.BYTES) throw new IllegalArgumentException("base hash must be " + Digest.BYTES + " bytes");
      if (tokens < 0) throw new IllegalArgumentException("negative tokens");
      Objects.requireNonNull(payload);
    }

    public Digest digest() {
      return Digest.of(payload);
    }
  }

  /** The sealer's cut-off for {@code round}: exactly these contributions (by digest) are aggregated. */
  record Seal(String run, long round, int view, PeerId sealer, List<SealEntry> entries) implements RoundMessage {
    public Seal {
      Objects.requireNonNull(run);
      Objects.requireNonNull(sealer);
      if (view < 0) throw new IllegalArgumentException("negative view");
      entries = List.copyOf(entries);
      for (int i = 1; i < entries.size(); i++) {
        if (entries.get(i - 1).peer().compareTo(entries.get(i).peer()) >= 0) throw new IllegalArgumentException("entries must be sorted by peer, without duplicates");
      }
    }
  }

  /** One sealed contribution. */
  record SealEntry(PeerId peer, Digest digest) {
    public SealEntry {
      Objects.requireNonNull(peer);
      Objects.requireNonNull(digest);
    }
  }

  /** A SHA-256 digest. */
  record Digest(byte[] bytes) implements Comparable<Digest> {
    public static final int BYTES = 32;

    public Digest {
      if (bytes.length != BYTES) throw new IllegalArgumentException("a digest has " + BYTES + " bytes");
      bytes = bytes.clone();
    }

    public static Digest of(byte[] data) {
      try {
        return new Digest(java.security.MessageDigest.getInstance("SHA-256").digest(data));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Of a float vector's raw little-endian IEEE bits: equal hashes mean bit-identical vectors. */
    public static Digest ofFloats(float[] v) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (float f : v) b.putInt(Float.floatToRawIntBits(f));
      return of(b.array());
    }

    @Override public byte[] bytes() {
      return bytes.clone();
    }

    public String hex() {
      return HexFormat.of().formatHex(bytes);
    }

    public String shortHex() {
      return hex().substring(0, 12);
    }

    @Override public boolean equals(Object o) {
      return o instanceof Digest d && java.util.Arrays.equals(bytes, d.bytes);
    }

    @Override public int hashCode() {
      return java.util.Arrays.hashCode(bytes);
    }

    @Override public int compareTo(Digest o) {
      return java.util.Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override public String toString() {
      return shortHex();
    }
  }
}
