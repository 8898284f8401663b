// A js-libp2p 2.x peer that weft's interop tests and benchmark drive: TCP + Noise + Yamux,
// identify (+ push), ping, a hand-written /perf/1.0.0 and the test-only /weft/test/pattern/1.0.0.
//
// Prints {"peerId":...,"addrs":[...]} first, then reads one JSON command per line on stdin and
// prints one JSON line per result (with the command's "id"), like `weft p2p serve`:
//   {"id":1,"cmd":"dial","addr":MA}            -> {"id":1,"peer":...}
//   {"id":2,"cmd":"ping","addr":MA,"count":3}  -> {"id":2,"rtts":[ms...]}
//   {"id":3,"cmd":"identify","addr":MA}        -> {"id":3,"protocols":[...],"listenAddrs":[...],"agentVersion":...,"observedAddr":...}
//   {"id":4,"cmd":"peerInfo","peer":ID}        -> what our peer store holds about ID
//   {"id":5,"cmd":"perf","addr":MA,"upload":N,"download":N}   -> bytes and seconds both ways
//   {"id":6,"cmd":"pattern","addr":MA,"upload":N,"download":N} -> checks every byte both ways
//   {"id":7,"cmd":"handshakes","addr":MA,"count":N}            -> sequential dial+close rate
// Usage: node peer.mjs [--listen MA] [--seed HEX64]
import './polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify, identifyPush } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createInterface } from 'node:readline'

const PERF = '/perf/1.0.0'
const PATTERN = '/weft/test/pattern/1.0.0'
const CHUNK = 64 * 1024
const ZEROS = new Uint8Array(CHUNK)

// The pattern: byte i of a transfer is i mod 251 (a prime, so a lost or repeated power-of-two
// sized chunk shifts it and is caught).
const PATTERN_BYTES = new Uint8Array(251 * 263) // a multiple of 251, at least CHUNK + 250 long
for (let i = 0; i < PATTERN_BYTES.length; i++) PATTERN_BYTES[i] = i % 251
function patternChunk (offset, len) {
  const start = offset % 251
  return PATTERN_BYTES.subarray(start, start + len)
}

/** Throws unless c holds the pattern bytes starting at offset (compared natively, in chunk-sized pieces). */
function checkPattern (c, offset) {
  for (let done = 0; done < c.length; done += CHUNK) {
    const n = Math.min(CHUNK, c.length - done)
    if (Buffer.compare(c.subarray(done, done + n), patternChunk(offset + done, n)) !== 0) {
      let i = done
      while (c[i] === (offset + i) % 251) i++
      throw new Error(`pattern mismatch at byte ${offset + i}`)
    }
  }
}

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
  // js pings every connection every 10 s with an adaptive timeout and by default aborts the
  // connection when one ping is late. On an overloaded test machine a ping queued behind megabytes
  // of test data can be late; keep the pings (they exercise weft's ping handler) but not the abort.
  connectionMonitor: { abortConnectionOnPingFailure: false },
  services: { identify: identify(), identifyPush: identifyPush(), ping: ping() }
})

function u64 (n) {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, BigInt(n))
  return b
}

/** Reads an 8-byte big-endian header from an async iterator of Uint8ArrayLists; returns [value, leftover]. */
async function readHeader (it) {
  let buf = new Uint8Array(0)
  while (buf.length < 8) {
    const { value, done } = await it.next()
    if (done) throw new Error('stream ended before the 8-byte header')
    const c = value.subarray()
    const nb = new Uint8Array(buf.length + c.length)
    nb.set(buf); nb.set(c, buf.length); buf = nb
  }
  return [Number(new DataView(buf.buffer, buf.byteOffset, 8).getBigUint64(0)), buf.subarray(8)]
}

async function * repeat (total, make) {
  for (let off = 0; off < total; off += CHUNK) yield make(off, Math.min(CHUNK, total - off))
}

// /perf/1.0.0 server (specs/libp2p/perf/perf.md): read the size, drain the upload, send the size.
await node.handle(PERF, async ({ stream }) => {
  try {
    const it = stream.source[Symbol.asyncIterator]()
    const [toSend] = await readHeader(it)
    while (!(await it.next()).done) { /* drain */ }
    await stream.sink(repeat(toSend, (o, n) => ZEROS.subarray(0, n)))
  } catch (e) {
    process.stderr.write(`${stream.protocol} server: ${e?.stack ?? e}\n`)
    stream.abort(e)
  }
}, { maxInboundStreams: 8 })

// Pattern server: header = bytes to send back; verifies every upload byte; answers with the
// 8-byte count of verified upload bytes, then the pattern.
await node.handle(PATTERN, async ({ stream }) => {
  try {
    const it = stream.source[Symbol.asyncIterator]()
    const [toSend, first] = await readHeader(it)
    let got = 0
    const check = (c) => {
      checkPattern(c, got)
      got += c.length
    }
    check(first)
    for (;;) {
      const { value, done } = await it.next()
      if (done) break
      check(value.subarray())
    }
    await stream.sink((async function * () {
      yield u64(got)
      yield * repeat(toSend, patternChunk)
    })())
  } catch (e) {
    process.stderr.write(`${stream.protocol} server: ${e?.stack ?? e}\n`)
    stream.abort(e)
  }
}, { maxInboundStreams: 8 })

async function perfClient (addr, upload, download, protocol) {
  const stream = await node.dialProtocol(multiaddr(addr), protocol)
  const make = protocol === PATTERN ? patternChunk : (o, n) => ZEROS.subarray(0, n)
  const start = performance.now()
  let firstByte = -1
  const writing = stream.sink((async function * () {
    yield u64(download)
    yield * repeat(upload, make)
  })())
  let got = 0
  let header = protocol === PATTERN ? new Uint8Array(0) : null
  let verifiedUpload = -1
  for await (const chunk of stream.source) {
    if (firstByte < 0) firstByte = performance.now()
    let c = chunk.subarray()
    if (header !== null) {
      const need = 8 - header.length
      const h = new Uint8Array(header.length + Math.min(need, c.length))
      h.set(header); h.set(c.subarray(0, need), header.length); header = h
      c = c.subarray(need)
      if (header.length < 8) continue
      verifiedUpload = Number(new DataView(header.buffer).getBigUint64(0))
      header = null
    }
    if (protocol === PATTERN) checkPattern(c, got)
    got += c.length
  }
  await writing
  const end = performance.now()
  if (got !== download) throw new Error(`received ${got} of ${download} bytes`)
  if (protocol === PATTERN && verifiedUpload !== upload) throw new Error(`server verified ${verifiedUpload} of ${upload} bytes`)
  const answerAt = firstByte < 0 ? end : firstByte
  return {
    upload,
    download,
    uploadSeconds: (answerAt - start) / 1000,
    downloadSeconds: (end - answerAt) / 1000,
    uploadBytesPerSecond: Math.round(upload / Math.max(1e-9, (answerAt - start) / 1000)),
    downloadBytesPerSecond: Math.round(download / Math.max(1e-9, (end - answerAt) / 1000))
  }
}

const commands = {
  async dial (req) {
    const c = await node.dial(multiaddr(req.addr))
    return { peer: c.remotePeer.toString(), addr: c.remoteAddr.toString() }
  },
  async ping (req) {
    const rtts = []
    for (let i = 0; i < (req.count ?? 1); i++) rtts.push(await node.services.ping.ping(multiaddr(req.addr)))
    return { rtts }
  },
  async identify (req) {
    const c = await node.dial(multiaddr(req.addr))
    // js identifies every new connection by itself and allows one outbound identify stream at a
    // time: if that one is still running, wait for it and ask again.
    let r
    for (let attempt = 0; ; attempt++) {
      try {
        r = await node.services.identify.identify(c)
        break
      } catch (e) {
        if (attempt >= 50 || !String(e?.message).includes('Too many outbound')) throw e
        await new Promise(resolve => setTimeout(resolve, 100))
      }
    }
    return {
      peer: r.peerId.toString(),
      protocols: r.protocols,
      listenAddrs: r.listenAddrs.map(a => a.toString()),
      agentVersion: r.agentVersion,
      protocolVersion: r.protocolVersion,
      observedAddr: r.observedAddr?.toString()
    }
  },
  async peerInfo (req) {
    const p = await node.peerStore.get(peerIdFromString(req.peer))
    return { protocols: p.protocols, addrs: p.addresses.map(a => a.multiaddr.toString()) }
  },
  async perf (req) {
    return perfClient(req.addr, req.upload ?? 0, req.download ?? 0, PERF)
  },
  async pattern (req) {
    return perfClient(req.addr, req.upload ?? 0, req.download ?? 0, PATTERN)
  },
  async handshakes (req) {
    // Sequential dial + close: each dial is a fresh TCP + Noise + Yamux upgrade.
    const ma = multiaddr(req.addr)
    const start = performance.now()
    let ok = 0
    let failed = 0
    let lastError
    for (let i = 0; i < (req.count ?? 100); i++) {
      try {
        const c = await node.dial(ma, { force: true })
        await c.close()
        ok++
      } catch (e) {
        failed++
        lastError = String(e?.message ?? e)
      }
    }
    const seconds = (performance.now() - start) / 1000
    return { count: ok, failed, lastError, seconds, perSecond: ok / seconds }
  },
  async peers () {
    return { peers: node.getConnections().map(c => ({ peer: c.remotePeer.toString(), addr: c.remoteAddr.toString() })) }
  }
}

// A failure inside libp2p's stream plumbing must not take the peer (and the test) down.
process.on('uncaughtException', (e) => process.stderr.write(`uncaught: ${e?.stack ?? e}\n`))
process.on('unhandledRejection', (e) => process.stderr.write(`unhandled: ${e?.stack ?? e}\n`))

function print (o) {
  process.stdout.write(JSON.stringify(o) + '\n')
}

print({ peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.toString()) })

const rl = createInterface({ input: process.stdin })
const running = []
rl.on('line', (line) => {
  if (!line.trim()) return
  let req
  try { req = JSON.parse(line) } catch (e) { print({ error: `invalid JSON: ${e.message}` }); return }
  const fn = commands[req.cmd]
  if (!fn) { print({ id: req.id, cmd: req.cmd, error: `unknown command ${req.cmd}` }); return }
  running.push(fn(req).then(r => print({ id: req.id, cmd: req.cmd, ...r }),
    e => print({ id: req.id, cmd: req.cmd, error: String(e?.message ?? e) })))
})
rl.on('close', async () => {
  await Promise.allSettled(running)
  await node.stop()
  process.exit(0)
})
