package dev.weft.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts noise-libp2p transport messages (2-byte length, ciphertext, 16-byte tag) into
 * plaintext buffers. A message that fails authentication, or is shorter than a tag, closes the
 * connection: after a bad message nothing later can be trusted (the nonces would desynchronise).
 *
 * <p>Thread: the event loop. Ownership: each plaintext (heap) buffer passed on belongs to the next
 * handler.
 */
public final class NoiseDecoder extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(NoiseDecoder.class);
  private static final int LENGTH_PREFIX = 2;

  private final CipherState cipher;
  private boolean failed;
  /** Ciphertext copied out of direct buffers: the JDK cipher is fastest on arrays. */
  private final byte[] scratch = new byte[NoiseHandshake.MAX_MESSAGE_LENGTH];

  public NoiseDecoder(CipherState cipher) {
    this.cipher = cipher;
  }

  @Override protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (!failed && in.readableBytes() >= LENGTH_PREFIX) {
      int length = in.getUnsignedShort(in.readerIndex());
      if (in.readableBytes() < LENGTH_PREFIX + length) return;
      if (length < CipherState.TAG_LENGTH) {
        fail(ctx, in, "transport message of " + length + " bytes is shorter than its tag");
        return;
      }
      int plainLength = length - CipherState.TAG_LENGTH;
      ByteBuf plain = ctx.alloc().heapBuffer(Math.max(plainLength, 1));
      try {
        byte[] src;
        int srcOffset;
        if (in.hasArray()) {
          src = in.array();
          srcOffset = in.arrayOffset() + in.readerIndex() + LENGTH_PREFIX;
        } else {
          in.getBytes(in.readerIndex() + LENGTH_PREFIX, scratch, 0, length);
          src = scratch;
          srcOffset = 0;
        }
        cipher.decrypt(src, srcOffset, length, plain.array(), plain.arrayOffset());
        plain.writerIndex(plainLength);
      } catch (NoiseException e) {
        plain.release();
        fail(ctx, in, e.getMessage());
        return;
      }
      in.skipBytes(LENGTH_PREFIX + length);
      if (plainLength == 0) {
        plain.release();
      } else {
        out.add(plain);
      }
    }
  }

  private void fail(ChannelHandlerContext ctx, ByteBuf in, String reason) {
    failed = true;
    in.skipBytes(in.readableBytes());
    LOG.debug("closing {}: {}", ctx.channel(), reason);
    ctx.close();
  }
}
