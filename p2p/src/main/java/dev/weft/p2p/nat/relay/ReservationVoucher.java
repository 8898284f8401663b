package dev.weft.p2p.nat.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import dev.weft.p2p.nat.relay.pb.Voucher;
import dev.weft.p2p.record.InvalidRecordException;
import dev.weft.p2p.record.SignedEnvelope;

/**
 * A reservation voucher (circuit-v2.md, "Reservation Vouchers"): the relay's signed statement
 * that it serves {@code peer} until {@code expirationUnixSeconds}, as a signed envelope with
 * domain {@code libp2p-relay-rsvp} and payload type 0x0302, verified signature-first.
 */
public record ReservationVoucher(PeerId relay, PeerId peer, long expirationUnixSeconds) {
  public static final String DOMAIN = "libp2p-relay-rsvp";
  public static final byte[] PAYLOAD_TYPE = {0x03, 0x02};

  /** The envelope bytes, signed by {@code relayKey} (which must be {@link #relay}'s). */
  public byte[] seal(PrivKey relayKey) {
    if (!PeerId.fromPublicKey(relayKey.publicKey()).equals(relay)) throw new IllegalArgumentException("the key is not the relay's");
    byte[] payload = Voucher.newBuilder().setRelay(ByteString.copyFrom(relay.bytes())).setPeer(ByteString.copyFrom(peer.bytes()))
        .setExpiration(expirationUnixSeconds).build().toByteArray();
    return SignedEnvelope.seal(relayKey, DOMAIN, PAYLOAD_TYPE, payload).encode();
  }

  /**
   * Verifies and decodes a voucher.
   *
   * @throws InvalidRecordException if the signature, the type, or the payload is wrong, or the
   *     signer is not the relay the voucher names
   */
  public static ReservationVoucher open(byte[] envelope) throws InvalidRecordException {
    if (envelope.length > RelayCodec.MAX_VOUCHER_BYTES) throw new InvalidRecordException("voucher of " + envelope.length + " bytes");
    SignedEnvelope e = SignedEnvelope.open(envelope, DOMAIN, PAYLOAD_TYPE);
    Voucher v;
    try {
      v = Voucher.parseFrom(e.payload());
    } catch (InvalidProtocolBufferException ex) {
      throw new InvalidRecordException("malformed voucher payload: " + ex.getMessage());
    }
    if (!v.hasRelay() || !v.hasPeer() || !v.hasExpiration()) throw new InvalidRecordException("voucher without relay, peer or expiration");
    PeerId relay;
    PeerId peer;
    try {
      relay = PeerId.fromBytes(v.getRelay().toByteArray());
      peer = PeerId.fromBytes(v.getPeer().toByteArray());
    } catch (RuntimeException ex) {
      throw new InvalidRecordException("voucher with an invalid peer id: " + ex.getMessage());
    }
    if (!relay.matches(e.publicKey())) throw new InvalidRecordException("voucher signed by someone other than the relay it names");
    return new ReservationVoucher(relay, peer, v.getExpiration());
  }
}
