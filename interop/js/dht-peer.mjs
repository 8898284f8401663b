// A js-libp2p 2.x kad-dht peer (@libp2p/kad-dht 15.1.11) for weft's DHT interop tests: TCP + Noise
// + Yamux, identify, ping (js adds a DHT peer only after it answers ping), kad-dht in server mode
// keeping private addresses (loopback tests).
//
// Prints {"peerId":...,"addrs":[...]} first, then reads one JSON command per line on stdin and
// prints one JSON line per result (with the command's "id"):
//   {"id":1,"cmd":"dial","addr":MA}                    -> {"peer":...}
//   {"id":2,"cmd":"routingTable"}                      -> {"size":N,"peers":[...]}
//   {"id":3,"cmd":"provide","cid":CID}                 -> {"ok":true}
//   {"id":4,"cmd":"findProviders","cid":CID,"count":N} -> {"providers":[{"peer":...,"addrs":[...]}]}
//   {"id":5,"cmd":"put","key":B64,"value":B64}         -> {"ok":true}
//   {"id":6,"cmd":"get","key":B64}                     -> {"value":B64|null}
//   {"id":7,"cmd":"findPeer","peer":ID}                -> {"peer":...,"addrs":[...]}
//   {"id":8,"cmd":"closestPeers","key":B64}            -> {"peers":[...]}
//   {"id":9,"cmd":"pk"}                                -> {"key":B64,"value":B64} (our /pk/ record)
// Usage: node dht-peer.mjs [--listen MA] [--seed HEX64] [--protocol ID]

// Node 20 lacks Promise.withResolvers, which js-libp2p 2.x's peer store lock uses.
await import('./polyfill.mjs')

const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { kadDHT, passthroughMapper } = await import('@libp2p/kad-dht')
const { generateKeyPairFromSeed, publicKeyToProtobuf } = await import('@libp2p/crypto/keys')
const { peerIdFromString } = await import('@libp2p/peer-id')
const { multiaddr } = await import('@multiformats/multiaddr')
const { CID } = await import('multiformats/cid')
const { createInterface } = await import('node:readline')

function arg (name, dflt) {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : dflt
}

const seedHex = arg('--seed')
const privateKey = seedHex ? await generateKeyPairFromSeed('Ed25519', Buffer.from(seedHex, 'hex')) : undefined

const node = await createLibp2p({
  privateKey,
  addresses: { listen: [arg('--listen', '/ip4/127.0.0.1/tcp/0')] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    dht: kadDHT({ protocol: arg('--protocol', '/ipfs/kad/1.0.0'), clientMode: false, peerInfoMapper: passthroughMapper })
  }
})

const dht = node.services.dht
const b64 = (u8) => Buffer.from(u8).toString('base64')
const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64'))
const peerJson = (p) => ({ peer: p.id.toString(), addrs: (p.multiaddrs ?? []).map(a => a.toString()) })

function pkKey (peerId) {
  const prefix = new TextEncoder().encode('/pk/')
  const mh = peerId.toMultihash().bytes
  const k = new Uint8Array(prefix.length + mh.length)
  k.set(prefix); k.set(mh, prefix.length)
  return k
}

const commands = {
  async dial (req) {
    const c = await node.dial(multiaddr(req.addr))
    return { peer: c.remotePeer.toString() }
  },
  async routingTable () {
    const peers = [...(dht.routingTable?.kb?.toIterable?.() ?? [])].map(c => c.peerId.toString())
    return { size: dht.routingTable?.size ?? peers.length, peers }
  },
  async provide (req) {
    for await (const e of dht.provide(CID.parse(req.cid))) { /* run to completion */ }
    return { ok: true }
  },
  async findProviders (req) {
    const want = req.count ?? 1
    const found = new Map()
    for await (const e of dht.findProviders(CID.parse(req.cid))) {
      if (e.name === 'PROVIDER') for (const p of e.providers) found.set(p.id.toString(), peerJson(p))
      if (found.size >= want) break
    }
    return { providers: [...found.values()] }
  },
  async put (req) {
    for await (const e of dht.put(unb64(req.key), unb64(req.value))) { /* run to completion */ }
    return { ok: true }
  },
  async get (req) {
    let value = null
    try {
      for await (const e of dht.get(unb64(req.key))) {
        if (e.name === 'VALUE') value = b64(e.value)
      }
    } catch (err) {
      if (value == null) return { value: null, error: err.message }
    }
    return { value }
  },
  async findPeer (req) {
    for await (const e of dht.findPeer(peerIdFromString(req.peer))) {
      if (e.name === 'FINAL_PEER') return peerJson(e.peer)
    }
    return { peer: null }
  },
  async closestPeers (req) {
    const peers = new Set()
    for await (const e of dht.getClosestPeers(unb64(req.key))) {
      if (e.name === 'FINAL_PEER') peers.add(e.peer.id.toString())
    }
    return { peers: [...peers] }
  },
  async pk () {
    return { key: b64(pkKey(node.peerId)), value: b64(publicKeyToProtobuf(node.peerId.publicKey)) }
  }
}

console.log(JSON.stringify({ peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.toString()) }))

const rl = createInterface({ input: process.stdin })
rl.on('line', async (line) => {
  if (line.trim() === '') return
  let req
  try {
    req = JSON.parse(line)
  } catch (e) {
    console.log(JSON.stringify({ error: 'bad json: ' + e.message }))
    return
  }
  const f = commands[req.cmd]
  if (f == null) {
    console.log(JSON.stringify({ id: req.id, error: 'unknown cmd ' + req.cmd }))
    return
  }
  const timeout = AbortSignal.timeout(req.timeoutMs ?? 30000)
  try {
    const res = await Promise.race([f(req), new Promise((resolve, reject) => timeout.addEventListener('abort', () => reject(new Error('timeout'))))])
    console.log(JSON.stringify({ id: req.id, ...res }))
  } catch (e) {
    console.log(JSON.stringify({ id: req.id, error: e.message ?? String(e) }))
  }
})
rl.on('close', async () => {
  await node.stop()
  process.exit(0)
})
