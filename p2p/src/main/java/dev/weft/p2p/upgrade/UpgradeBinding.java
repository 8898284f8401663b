package dev.weft.p2p.upgrade;

import io.netty.channel.ChannelPipeline;
import java.util.concurrent.CompletableFuture;

/**
 * One stage of a connection upgrade, bound to the protocol id multistream-select negotiates for it
 * — the same shape as an application protocol: an id, and what runs once it is selected. Security
 * ({@link SecurityBinding}) and muxers ({@link MuxerBinding}) are the two kinds.
 *
 * <p>{@link #install} runs on the channel's event loop, right after the negotiation selected
 * {@link #protocolId()}: it adds the stage's handlers behind {@code after} and completes
 * {@code done} with the stage's result, or exceptionally (the pipeline then closes the channel).
 *
 * @param <R> what the stage yields
 */
public interface UpgradeBinding<R> {
  String protocolId();

  void install(ChannelPipeline pipeline, String after, UpgradeRequest request, CompletableFuture<R> done);
}
