package dev.weft.p2p.pubsub;

/** Signature policies of the pubsub spec ("Signature Policy Options"); the lax ones are not offered. */
public enum SignaturePolicy {
  /** Sign what we publish; require and verify from, seqno and signature on what we receive. */
  STRICT_SIGN,
  /** Publish without from/seqno/signature/key; reject messages that carry any of them. */
  STRICT_NO_SIGN
}
