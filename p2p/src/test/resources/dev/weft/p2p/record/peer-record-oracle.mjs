// js-libp2p's view of signed peer records (@libp2p/peer-record, installed with libp2p in
// interop/js), for PeerRecordInteropIT. Request: the JSON in the last argument. Prints one
// record per line: kind|field=value|...
import { RecordEnvelope, PeerRecord } from '@libp2p/peer-record'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'

const req = JSON.parse(process.argv[process.argv.length - 1])
const hex = (u8) => Buffer.from(u8).toString('hex')
const unhex = (s) => Uint8Array.from(Buffer.from(s, 'hex'))

for (const [kind, data] of [['ours', req.ours], ['tampered', req.tampered]]) {
  try {
    const env = await RecordEnvelope.openAndCertify(unhex(data), PeerRecord.DOMAIN)
    const rec = PeerRecord.createFromProtobuf(env.payload)
    console.log([kind, 'ok=true', 'peerId=' + rec.peerId.toString(), 'seq=' + rec.seqNumber.toString(),
      'addrs=' + rec.multiaddrs.map(String).join(',')].join('|'))
  } catch (e) {
    console.log([kind, 'ok=false', 'error=' + String(e.message ?? e).replaceAll('|', '/').replaceAll('\n', ' ')].join('|'))
  }
}
const seed = new Uint8Array(32)
new DataView(seed.buffer).setBigUint64(24, BigInt(req.seed))
const key = await generateKeyPairFromSeed('Ed25519', seed)
const rec = new PeerRecord({ peerId: peerIdFromPrivateKey(key), multiaddrs: req.addrs.map((a) => multiaddr(a)), seqNumber: BigInt(req.seq) })
const env = await RecordEnvelope.seal(rec, key)
console.log(['theirs', 'bytes=' + hex(env.marshal())].join('|'))
