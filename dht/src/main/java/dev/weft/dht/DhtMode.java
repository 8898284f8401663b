package dev.weft.dht;

/** kad-dht spec, "Client and server mode". */
public enum DhtMode {
  /** Answers queries and is added to other peers' routing tables. */
  SERVER,
  /** Queries only: never answers, never advertises the protocol. */
  CLIENT
}
