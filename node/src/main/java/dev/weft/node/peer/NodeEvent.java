package dev.weft.node.peer;

import dev.weft.node.blocks.BlobId;

/** What a volunteer's node did, for the terminal and for {@code --json} (one event per line). */
public sealed interface NodeEvent {
  /** Joined the DHT through the bootstrap peers. */
  record Joined(int routingTableSize) implements NodeEvent {}

  /** The run's manifest was found and its signature verified ({@code fromDisk}: saved by an earlier session). */
  record RunVerified(String runId, boolean fromDisk) implements NodeEvent {}

  /** A blob is being downloaded ({@code role}: checkpoint, shard). */
  record Downloading(String role, BlobId blob, long bytes, int providersFound) implements NodeEvent {}

  /** A blob is held, verified chunk by chunk ({@code fetched}: chunks downloaded now; {@code resumed}: held already). */
  record Downloaded(String role, BlobId blob, long bytes, int fetched, int resumed, int providersUsed, long millis) implements NodeEvent {}

  /** The checkpoint decoded and matches the manifest's model. */
  record CheckpointVerified(BlobId blob, String model, long round, int parameters) implements NodeEvent {}

  /** Everything is held: the node serves its blobs and waits for the round protocol. */
  record Ready(int blobsServed) implements NodeEvent {}

  /** Something failed; the node goes on where it can. */
  record Problem(String what) implements NodeEvent {}
}
