// A js-libp2p gossipsub peer (@chainsafe/libp2p-gossipsub 14.1.2) for weft's interop tests.
//
//   node gossip-peer.mjs [--seed N] [--listen MULTIADDR]
//
// Prints {"peerId":...,"addrs":[...]} first, then reads one JSON command per line on stdin and
// prints one JSON line per result; received messages are printed as
// {"event":"message","topic":T,"from":PEERID,"seqno":"N","data":BASE64}.
// Commands: dial {addr}, subscribe {topic}, unsubscribe {topic}, publish {topic,data},
// mesh {topic}, subscribers {topic}, score {peer}, stop. Every result echoes "cmd" and "id".
// The identity for --seed N is the Ed25519 key whose 32-byte seed is zero but for N big-endian in
// bytes 24..31: the same as `weft p2p serve --seed N`.
import './polyfill.mjs'
import { createInterface } from 'node:readline'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@chainsafe/libp2p-gossipsub'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'

function arg (name, dflt) {
  const i = process.argv.indexOf(name)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt
}

const seed = new Uint8Array(32)
new DataView(seed.buffer).setBigUint64(24, BigInt(arg('--seed', '1')))
const privateKey = await generateKeyPairFromSeed('Ed25519', seed)

const node = await createLibp2p({
  privateKey,
  addresses: { listen: [arg('--listen', '/ip4/127.0.0.1/tcp/0')] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    pubsub: gossipsub({
      allowPublishToZeroTopicPeers: true,
      emitSelf: false,
      // Loopback peers all share 127.0.0.1: keep the IP colocation penalty out of the way.
      scoreParams: { IPColocationFactorWeight: 0 }
    })
  }
})

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const pubsub = node.services.pubsub

pubsub.addEventListener('message', (evt) => {
  const m = evt.detail
  out({
    event: 'message',
    topic: m.topic,
    from: m.type === 'signed' ? m.from.toString() : null,
    seqno: m.type === 'signed' ? m.sequenceNumber.toString() : null,
    signed: m.type === 'signed',
    data: Buffer.from(m.data).toString('base64')
  })
})

out({ peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })

async function handle (req) {
  switch (req.cmd) {
    case 'dial': {
      const c = await node.dial(multiaddr(req.addr))
      return { peer: c.remotePeer.toString() }
    }
    case 'subscribe':
      pubsub.subscribe(req.topic)
      return { topic: req.topic }
    case 'unsubscribe':
      pubsub.unsubscribe(req.topic)
      return { topic: req.topic }
    case 'publish': {
      const r = await pubsub.publish(req.topic, Buffer.from(req.data, 'base64'))
      return { topic: req.topic, recipients: r.recipients.map(String) }
    }
    case 'mesh':
      return { topic: req.topic, mesh: pubsub.getMeshPeers(req.topic) }
    case 'subscribers':
      return { topic: req.topic, peers: pubsub.getSubscribers(req.topic).map(String) }
    case 'score':
      return { peer: req.peer, score: pubsub.score.score(req.peer) }
    case 'stop':
      await node.stop()
      out({ cmd: 'stop', id: req.id })
      process.exit(0)
      break
    default:
      throw new Error('unknown command ' + req.cmd)
  }
}

const rl = createInterface({ input: process.stdin })
rl.on('line', async (line) => {
  if (line.trim() === '') return
  let req
  try {
    req = JSON.parse(line)
  } catch (e) {
    out({ error: 'bad JSON: ' + e.message })
    return
  }
  try {
    const res = await handle(req)
    out({ cmd: req.cmd, id: req.id, ...res })
  } catch (e) {
    out({ cmd: req.cmd, id: req.id, error: String(e && e.message ? e.message : e) })
  }
})
rl.on('close', async () => {
  await node.stop()
  process.exit(0)
})
