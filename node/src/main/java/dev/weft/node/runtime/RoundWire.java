package dev.weft.node.runtime;

import dev.weft.node.runtime.RoundMessage.Contribution;
import dev.weft.node.runtime.RoundMessage.Digest;
import dev.weft.node.runtime.RoundMessage.Seal;
import dev.weft.node.runtime.RoundMessage.SealEntry;
import dev.weft.p2p.api.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of {@link RoundMessage}s, big-endian: a type byte, a version byte, then the
 * fields in record order; byte strings are an int32 length then the bytes. Decoding checks every
 * length against {@link Limits} before it allocates and rejects trailing bytes, so a hostile
 * message costs at most its own size.
 */
public final class RoundWire {
  public static final byte CONTRIBUTION = 1;
  public static final byte SEAL = 2;
  public static final byte VERSION = 1;
  static final int MAX_RUN_BYTES = 256;
  static final int MAX_PEER_BYTES = 64;

  /**
   * @param maxPayloadBytes largest encoded pseudo-gradient accepted
   * @param maxEntries most contributions one seal may list
   */
  public record Limits(int maxPayloadBytes, int maxEntries) {
    public Limits {
      if (maxPayloadBytes < 16) throw new IllegalArgumentException("maxPayloadBytes must be at least 16: " + maxPayloadBytes);
      if (maxEntries < 1 || maxEntries > 65_536) throw new IllegalArgumentException("maxEntries must be 1..65536: " + maxEntries);
    }

    /** 1 MiB less room for the envelope: what one gossipsub message may carry by default. */
    public static Limits defaults() {
      return new Limits((1 << 20) - 4096, 1024);
    }
  }

  private RoundWire() {}

  public static byte[] encode(RoundMessage m) {
    return switch (m) {
      case Contribution c -> {
        byte[] run = c.run().getBytes(StandardCharsets.UTF_8);
        byte[] peer = c.peer().bytes();
        ByteBuffer b = ByteBuffer.allocate(2 + 4 + run.length + 8 + 4 + peer.length + Digest.BYTES + 8 + 4 + c.payload().length);
        b.put(CONTRIBUTION).put(VERSION);
        bytes(b, run);
        b.putLong(c.round());
        bytes(b, peer);
        b.put(c.base());
        b.putLong(c.tokens());
        bytes(b, c.payload());
        yield b.array();
      }
      case Seal s -> {
        byte[] run = s.run().getBytes(StandardCharsets.UTF_8);
        byte[] sealer = s.sealer().bytes();
        int size = 2 + 4 + run.length + 8 + 4 + 4 + sealer.length + 4;
        for (SealEntry e : s.entries()) size += 4 + e.peer().bytes().length + Digest.BYTES;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(SEAL).put(VERSION);
        bytes(b, run);
        b.putLong(s.round());
        b.putInt(s.view());
        bytes(b, sealer);
        b.putInt(s.entries().size());
        for (SealEntry e : s.entries()) {
          bytes(b, e.peer().bytes());
          b.put(e.digest().bytes());
        }
        yield b.array();
      }
    };
  }

  /** @throws RoundWireException for anything malformed, over a limit, or not canonical */
  public static RoundMessage decode(byte[] data, Limits limits) throws RoundWireException {
    if (data == null || data.length < 2) throw new RoundWireException("message shorter than its header");
    ByteBuffer b = ByteBuffer.wrap(data);
    byte type = b.get();
    byte version = b.get();
    if (version != VERSION) throw new RoundWireException("unknown version " + version);
    try {
      RoundMessage m = switch (type) {
        case CONTRIBUTION -> {
          String run = text(b, MAX_RUN_BYTES, "run");
          long round = round(b);
          PeerId peer = peer(b, "peer");
          byte[] base = fixed(b, Digest.BYTES, "base hash");
          long tokens = b.getLong();
          if (tokens < 0) throw new RoundWireException("negative tokens");
          byte[] payload = bytes(b, limits.maxPayloadBytes(), "payload");
          yield new Contribution(run, round, peer, base, tokens, payload);
        }
        case SEAL -> {
          String run = text(b, MAX_RUN_BYTES, "run");
          long round = round(b);
          int view = b.getInt();
          if (view < 0) throw new RoundWireException("negative view");
          PeerId sealer = peer(b, "sealer");
          int n = b.getInt();
          if (n < 0 || n > limits.maxEntries()) throw new RoundWireException("seal lists " + n + " entries, limit " + limits.maxEntries());
          List<SealEntry> entries = new ArrayList<>(Math.min(n, 64));
          for (int i = 0; i < n; i++) {
            PeerId p = peer(b, "entry peer");
            if (!entries.isEmpty() && entries.get(entries.size() - 1).peer().compareTo(p) >= 0) throw new RoundWireException("seal entries not sorted by peer or duplicated");
            entries.add(new SealEntry(p, new Digest(fixed(b, Digest.BYTES, "digest"))));
          }
          yield new Seal(run, round, view, sealer, entries);
        }
        default -> throw new RoundWireException("unknown message type " + type);
      };
      if (b.hasRemaining()) throw new RoundWireException(b.remaining() + " trailing bytes");
      return m;
    } catch (java.nio.BufferUnderflowException e) {
      throw new RoundWireException("message truncated");
    } catch (IllegalArgumentException e) {
      throw new RoundWireException("invalid field: " + e.getMessage());
    }
  }

  private static void bytes(ByteBuffer b, byte[] v) {
    b.putInt(v.length).put(v);
  }

  private static long round(ByteBuffer b) throws RoundWireException {
    long r = b.getLong();
    if (r < 0) throw new RoundWireException("negative round");
    return r;
  }

  private static byte[] bytes(ByteBuffer b, int max, String what) throws RoundWireException {
    int n = b.getInt();
    if (n < 0 || n > max) throw new RoundWireException(what + " of " + n + " bytes, limit " + max);
    if (n > b.remaining()) throw new RoundWireException(what + " truncated");
    byte[] v = new byte[n];
    b.get(v);
    return v;
  }

  private static byte[] fixed(ByteBuffer b, int n, String what) throws RoundWireException {
    if (n > b.remaining()) throw new RoundWireException(what + " truncated");
    byte[] v = new byte[n];
    b.get(v);
    return v;
  }

  private static String text(ByteBuffer b, int max, String what) throws RoundWireException {
    byte[] v = bytes(b, max, what);
    String s = new String(v, StandardCharsets.UTF_8);
    if (!java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), v)) throw new RoundWireException(what + " is not valid UTF-8");
    return s;
  }

  private static PeerId peer(ByteBuffer b, String what) throws RoundWireException {
    byte[] v = bytes(b, MAX_PEER_BYTES, what);
    try {
      return PeerId.fromBytes(v);
    } catch (IllegalArgumentException e) {
      throw new RoundWireException(what + " is not a peer id: " + e.getMessage());
    }
  }
}
