package dev.weft.crdt.delta;

import dev.weft.crdt.codec.CanonicalReader;
import dev.weft.crdt.codec.CanonicalWriter;
import dev.weft.crdt.codec.DecodeLimits;
import dev.weft.crdt.codec.MalformedEncodingException;
import dev.weft.crdt.type.Bytes;
import dev.weft.p2p.api.PeerId;
import dev.weft.p2p.crypto.PrivKey;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A simple seal certificate: a statement (e.g. the digest of a round's accepted contributions)
 * and signatures over {@code "weft-seal/1\n" ‖ key ‖ "\n" ‖ statement} from distinct signers. A
 * node with its own certificate format supplies its own {@link CertificateVerifier} instead.
 *
 * <p>Encoding: {@code blob(statement) varint(n) n × (blob(peer id) blob(signature))}, signers in
 * ascending peer-id order.
 */
public record QuorumCertificate(Bytes statement, Map<PeerId, byte[]> signatures) {
  public static QuorumCertificate sign(String key, Bytes statement, Iterable<PrivKey> signers) {
    TreeMap<PeerId, byte[]> sigs = new TreeMap<>();
    for (PrivKey k : signers) sigs.put(PeerId.fromPublicKey(k.publicKey()), k.sign(signedBytes(key, statement)));
    return new QuorumCertificate(statement, sigs);
  }

  static byte[] signedBytes(String key, Bytes statement) {
    return new CanonicalWriter().raw("weft-seal/1\n".getBytes(StandardCharsets.US_ASCII)).string(key).blob(statement.toByteArray()).toByteArray();
  }

  public Bytes encode() {
    CanonicalWriter w = new CanonicalWriter().blob(statement.toByteArray()).varint(signatures.size());
    for (Map.Entry<PeerId, byte[]> e : new TreeMap<>(signatures).entrySet()) w.blob(e.getKey().bytes()).blob(e.getValue());
    return Bytes.of(w.toByteArray());
  }

  public static QuorumCertificate decode(Bytes bytes, DecodeLimits limits) throws MalformedEncodingException {
    CanonicalReader r = new CanonicalReader(bytes.toByteArray(), limits);
    Bytes statement = Bytes.of(r.blob());
    int n = r.entries("signatures");
    TreeMap<PeerId, byte[]> sigs = new TreeMap<>();
    PeerId prev = null;
    for (int i = 0; i < n; i++) {
      PeerId p;
      try {
        p = PeerId.fromBytes(r.blob(limits.maxStringBytes()));
      } catch (IllegalArgumentException e) {
        throw new MalformedEncodingException("signer is not a peer id");
      }
      if (prev != null && prev.compareTo(p) >= 0) throw new MalformedEncodingException("signers not in ascending order");
      sigs.put(p, r.blob(SignedDelta.MAX_SIGNATURE_BYTES));
      prev = p;
    }
    r.expectEnd();
    return new QuorumCertificate(statement, sigs);
  }

  /** A verifier accepting certificates with at least {@code quorum} valid signatures from {@code committee}. */
  public static CertificateVerifier verifier(Set<PeerId> committee, int quorum) {
    Set<PeerId> members = Set.copyOf(committee);
    return (key, vars, cert) -> {
      QuorumCertificate qc;
      try {
        qc = decode(cert, DecodeLimits.delta());
      } catch (MalformedEncodingException e) {
        return false;
      }
      byte[] msg = signedBytes(key, qc.statement);
      Set<PeerId> valid = new HashSet<>();
      for (Map.Entry<PeerId, byte[]> e : qc.signatures.entrySet()) {
        if (!members.contains(e.getKey())) continue;
        var pub = e.getKey().publicKey();
        if (pub.isPresent() && pub.get().verify(msg, e.getValue())) valid.add(e.getKey());
      }
      return valid.size() >= quorum;
    };
  }
}
