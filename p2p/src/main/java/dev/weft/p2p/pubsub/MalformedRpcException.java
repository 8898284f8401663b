package dev.weft.p2p.pubsub;

/** An RPC that is not valid protobuf, breaks the schema, or exceeds an {@link RpcLimits} bound. */
public final class MalformedRpcException extends Exception {
  public MalformedRpcException(String message) {
    super(message, null, false, false);
  }

  public MalformedRpcException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
