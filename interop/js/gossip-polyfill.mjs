// Node 20 lacks Promise.withResolvers, which js-libp2p 2.x's peer store lock calls: a
// spec-compliant polyfill, imported before anything else (see shared/INTEROP-NOTES.md).
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve
    let reject
    const promise = new this((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
