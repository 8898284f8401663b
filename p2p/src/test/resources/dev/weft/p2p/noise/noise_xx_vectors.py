# Independent Noise_XX_25519_ChaChaPoly_SHA256 + libp2p payload, from noise.md and the libp2p noise spec,
# using pyca/cryptography primitives. Prints the three handshake messages and one transport message.
import hashlib, hmac
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives import serialization

RAW = dict(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)

def pub(priv): return priv.public_key().public_bytes(**RAW)
def dh(priv, pubbytes): return priv.exchange(X25519PublicKey.from_public_bytes(pubbytes))
def H(b): return hashlib.sha256(b).digest()
def hm(k, d): return hmac.new(k, d, hashlib.sha256).digest()
def hkdf(ck, ikm):
    t = hm(ck, ikm); o1 = hm(t, b'\x01'); o2 = hm(t, o1 + b'\x02'); return o1, o2

class CS:
    def __init__(s): s.k = None; s.n = 0
    def nonce(s):
        n = s.n.to_bytes(8, 'little'); s.n += 1; return b'\x00' * 4 + n
    def enc(s, ad, pt):
        return pt if s.k is None else ChaCha20Poly1305(s.k).encrypt(s.nonce(), pt, ad)

class SS:
    def __init__(s, name):
        s.h = name.ljust(32, b'\x00') if len(name) <= 32 else H(name); s.ck = s.h; s.cs = CS()
    def mix_key(s, ikm):
        s.ck, k = hkdf(s.ck, ikm); s.cs.k = k; s.cs.n = 0
    def mix_hash(s, d): s.h = H(s.h + d)
    def enc_hash(s, pt):
        ct = s.cs.enc(s.h, pt); s.mix_hash(ct); return ct

def varint(n):
    out = b''
    while n >= 0x80: out += bytes([(n & 0x7f) | 0x80]); n >>= 7
    return out + bytes([n])
def field(num, data): return bytes([(num << 3) | 2]) + varint(len(data)) + data

def payload(ident_seed, static_pub):
    ik = Ed25519PrivateKey.from_private_bytes(ident_seed)
    pk = b'\x08\x01' + field(2, ik.public_key().public_bytes(**RAW))  # PublicKey{Type=Ed25519, Data}
    sig = ik.sign(b'noise-libp2p-static-key:' + static_pub)
    return field(1, pk) + field(2, sig) + field(4, field(2, b'/yamux/1.0.0'))

seedA = bytes(24) + (1).to_bytes(8, 'big'); seedB = bytes(24) + (2).to_bytes(8, 'big')
sA = X25519PrivateKey.from_private_bytes(bytes([0x11]) * 32); sB = X25519PrivateKey.from_private_bytes(bytes([0x22]) * 32)
eA = X25519PrivateKey.from_private_bytes(bytes([0x33]) * 32); eB = X25519PrivateKey.from_private_bytes(bytes([0x44]) * 32)

# Written from the initiator's side only (the responder's writes are mirrored in its own state).
i = SS(b'Noise_XX_25519_ChaChaPoly_SHA256'); i.mix_hash(b'')
r = SS(b'Noise_XX_25519_ChaChaPoly_SHA256'); r.mix_hash(b'')
# -> e
m1 = pub(eA); i.mix_hash(pub(eA)); m1 += i.enc_hash(b'')
r.mix_hash(pub(eA)); r.mix_hash(b'')
# <- e, ee, s, es
m2 = pub(eB); r.mix_hash(pub(eB)); r.mix_key(dh(eB, pub(eA)))
m2 += r.enc_hash(pub(sB)); r.mix_key(dh(sB, pub(eA)))
m2 += r.enc_hash(payload(seedB, pub(sB)))
# -> s, se  (computed on the responder's state, which equals the initiator's by construction)
m3 = r.enc_hash(pub(sA)); r.mix_key(dh(eB, pub(sA)))
m3 += r.enc_hash(payload(seedA, pub(sA)))
k1, k2 = hkdf(r.ck, b'')
c1 = CS(); c1.k = k1
t = c1.enc(b'', b'hello from the initiator')
print('M1', m1.hex()); print('M2', m2.hex()); print('M3', m3.hex()); print('T1', t.hex()); print('H', r.h.hex())
