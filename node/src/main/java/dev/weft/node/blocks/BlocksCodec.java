package dev.weft.node.blocks;

import java.io.ByteArrayOutputStream;

/**
 * Bytes ↔ {@link BlocksMessage} for {@code /weft/blocks/1.0.0}. Each message travels as one
 * uvarint-length-prefixed body (the adapter frames it and bounds the length before reading); the
 * body is a type byte and its fields:
 * <pre>
 *   0x01 GET_MANIFEST  digest[32]
 *   0x02 GET_CHUNK     digest[32] uvarint(index)
 *   0x81 MANIFEST      manifest bytes (the rest)
 *   0x82 CHUNK         uvarint(index) chunk bytes (the rest)
 *   0x83 NOT_FOUND
 *   0x84 BUSY
 * </pre>
 * Decoding is strict (no trailing bytes, minimal varints) and bounded by {@link BlocksConfig}.
 */
public final class BlocksCodec {
  public static final String PROTOCOL_ID = "/weft/blocks/1.0.0";
  /** A request is a type, a digest and a varint. */
  public static final int MAX_REQUEST_BYTES = 1 + BlobId.DIGEST_BYTES + 9;
  /** Type byte and an index varint in front of a chunk. */
  public static final int MAX_HEADER_BYTES = 16;
  /** Largest chunk index on the wire (manifests are smaller still). */
  static final long MAX_INDEX = BlocksConfig.MANIFEST_CEILING_BYTES / BlobId.DIGEST_BYTES;

  static final int GET_MANIFEST = 0x01;
  static final int GET_CHUNK = 0x02;
  static final int MANIFEST = 0x81;
  static final int CHUNK = 0x82;
  static final int NOT_FOUND = 0x83;
  static final int BUSY = 0x84;

  private BlocksCodec() {}

  public static byte[] encode(BlocksMessage m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (m) {
      case BlocksMessage.GetManifest g -> {
        out.write(GET_MANIFEST);
        out.writeBytes(g.blob().digest());
      }
      case BlocksMessage.GetChunk g -> {
        out.write(GET_CHUNK);
        out.writeBytes(g.blob().digest());
        dev.weft.p2p.multiformats.Varint.write(g.index(), out);
      }
      case BlocksMessage.Manifest x -> {
        out.write(MANIFEST);
        out.writeBytes(x.bytes());
      }
      case BlocksMessage.Chunk c -> {
        out.write(CHUNK);
        dev.weft.p2p.multiformats.Varint.write(c.index(), out);
        out.writeBytes(c.data());
      }
      case BlocksMessage.NotFound n -> out.write(NOT_FOUND);
      case BlocksMessage.Busy b -> out.write(BUSY);
    }
    return out.toByteArray();
  }

  /** Decodes a request body (what a server reads). */
  public static BlocksMessage.Request decodeRequest(byte[] body) throws BlocksDecodeException {
    if (body.length > MAX_REQUEST_BYTES) throw new BlocksDecodeException("request of " + body.length + " bytes exceeds " + MAX_REQUEST_BYTES);
    WireReader r = new WireReader(body);
    int type = r.u8();
    BlobId blob = BlobId.fromDigest(r.bytes(BlobId.DIGEST_BYTES));
    BlocksMessage.Request out = switch (type) {
      case GET_MANIFEST -> new BlocksMessage.GetManifest(blob);
      case GET_CHUNK -> new BlocksMessage.GetChunk(blob, index(r));
      default -> throw new BlocksDecodeException("unknown request type 0x" + Integer.toHexString(type));
    };
    r.end();
    return out;
  }

  /** Decodes a reply body (what a client reads), within {@code limits}. */
  public static BlocksMessage.Reply decodeReply(byte[] body, BlocksConfig limits) throws BlocksDecodeException {
    if (body.length > limits.maxReplyBytes()) throw new BlocksDecodeException("reply of " + body.length + " bytes exceeds " + limits.maxReplyBytes());
    WireReader r = new WireReader(body);
    int type = r.u8();
    switch (type) {
      case MANIFEST -> {
        if (r.remaining() > limits.maxManifestBytes()) throw new BlocksDecodeException("manifest of " + r.remaining() + " bytes exceeds " + limits.maxManifestBytes());
        return new BlocksMessage.Manifest(r.bytes(r.remaining()));
      }
      case CHUNK -> {
        int index = index(r);
        if (r.remaining() > limits.maxChunkBytes()) throw new BlocksDecodeException("chunk of " + r.remaining() + " bytes exceeds " + limits.maxChunkBytes());
        return new BlocksMessage.Chunk(index, r.bytes(r.remaining()));
      }
      case NOT_FOUND -> {
        r.end();
        return new BlocksMessage.NotFound();
      }
      case BUSY -> {
        r.end();
        return new BlocksMessage.Busy();
      }
      default -> throw new BlocksDecodeException("unknown reply type 0x" + Integer.toHexString(type));
    }
  }

  private static int index(WireReader r) throws BlocksDecodeException {
    long i = r.uvarint();
    if (i > MAX_INDEX) throw new BlocksDecodeException("chunk index " + i + " beyond any manifest");
    return (int) i;
  }
}
