// The js-libp2p view of identities and multiaddrs, for JsIdentityInteropIT. Run with node in
// interop/js (for its node_modules); the request is the JSON in the last argument. Prints one
// record per line, fields separated by '|': kind|field|field...
import { generateKeyPair, generateKeyPairFromSeed, privateKeyToProtobuf, publicKeyToProtobuf, publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'

const req = JSON.parse(process.argv[process.argv.length - 1])
const hex = (u8) => Buffer.from(u8).toString('hex')
const unhex = (s) => Uint8Array.from(Buffer.from(s, 'hex'))
const msg = new TextEncoder().encode(req.message)
// @libp2p/peer-id 5 has no peer ids for ECDSA keys ("Unsupported key type")
const peerIdOrNull = (f) => { try { return f().toString() } catch { return null } }
const out = { seeds: [], keys: [], multiaddrs: [], bytes: [], peerIds: [], verify: [] }

for (const n of req.seeds) {
  const seed = new Uint8Array(32)
  new DataView(seed.buffer).setBigUint64(24, BigInt(n))
  const key = await generateKeyPairFromSeed('Ed25519', seed)
  const id = peerIdFromPrivateKey(key)
  out.seeds.push({ n, peerId: id.toString(), cid: id.toCID().toString(), priv: hex(privateKeyToProtobuf(key)), pub: hex(publicKeyToProtobuf(key.publicKey)), sig: hex(await key.sign(msg)) })
}
for (const [type, param] of [['Ed25519'], ['secp256k1'], ['ECDSA', 'P-256'], ['ECDSA', 'P-384'], ['ECDSA', 'P-521'], ['RSA', 2048]]) {
  const key = await generateKeyPair(type, param)
  out.keys.push({ type, param: param ?? null, peerId: peerIdOrNull(() => peerIdFromPrivateKey(key)), priv: hex(privateKeyToProtobuf(key)), pub: hex(publicKeyToProtobuf(key.publicKey)), sig: hex(await key.sign(msg)) })
}
for (const text of req.multiaddrs) {
  try {
    const ma = multiaddr(text)
    out.multiaddrs.push({ text, bytes: hex(ma.bytes), back: ma.toString() })
  } catch (e) {
    out.multiaddrs.push({ text, error: String(e.message ?? e) })
  }
}
for (const b of req.bytes) {
  try {
    out.bytes.push({ bytes: b, text: multiaddr(unhex(b)).toString() })
  } catch (e) {
    out.bytes.push({ bytes: b, error: String(e.message ?? e) })
  }
}
for (const s of req.peerIds) {
  try {
    const id = peerIdFromString(s)
    out.peerIds.push({ text: s, peerId: id.toString(), cid: id.toCID().toString() })
  } catch (e) {
    out.peerIds.push({ text: s, error: String(e.message ?? e) })
  }
}
for (const v of req.verify) {
  const pub = publicKeyFromProtobuf(unhex(v.pub))
  out.verify.push({ ok: await pub.verify(msg, unhex(v.sig)), peerId: peerIdOrNull(() => peerIdFromPublicKey(pub)) })
}
const clean = (v) => String(v).replaceAll('|', '/').replaceAll('\n', ' ')
for (const [kind, records] of Object.entries(out)) {
  for (const r of records) console.log([kind, ...Object.entries(r).map(([k, v]) => k + '=' + clean(v))].join('|'))
}
