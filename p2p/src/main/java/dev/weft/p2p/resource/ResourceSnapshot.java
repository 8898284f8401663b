package dev.weft.p2p.resource;

/**
 * The {@link ResourceManager}'s counters at one moment, for metrics and logs.
 *
 * @param connections transport connections held: inbound handshaking and upgraded, and ours (dialling and upgraded)
 * @param pendingInbound inbound connections still handshaking
 * @param streams inbound streams reserved
 * @param bufferedBytes bytes held for handlers, host-wide
 * @param sourcesPending distinct source addresses with a handshaking connection
 * @param refusedConnections inbound connections refused at accept or adoption (a limit was reached)
 * @param shedConnections connections closed to make room for a newcomer
 * @param handshakeTimeouts handshaking connections closed at their deadline
 * @param refusedStreams inbound streams refused
 * @param refusedBufferBytes reservations of buffer bytes refused
 */
public record ResourceSnapshot(
    int connections,
    int pendingInbound,
    int streams,
    long bufferedBytes,
    int sourcesPending,
    long refusedConnections,
    long shedConnections,
    long handshakeTimeouts,
    long refusedStreams,
    long refusedBufferBytes) {}
