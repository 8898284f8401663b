package dev.weft.p2p.noise;

import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PubKey;
import java.util.List;

/**
 * The outcome of a completed, authenticated handshake: who the remote is, which muxers it offered
 * in the handshake (empty if it sent no {@code stream_muxers} extension), and the transport ciphers.
 */
public record NoiseSession(PeerId remotePeer, PubKey remoteKey, List<String> remoteMuxers, CipherState sender, CipherState receiver) {}
