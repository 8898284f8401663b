package dev.weft.p2p.upgrade;

import dev.weft.p2p.api.Connection;

/** A stream muxer stage (Yamux): turns a secured channel into the host's {@link Connection}. */
public interface MuxerBinding extends UpgradeBinding<Connection> {}
