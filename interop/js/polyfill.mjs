// Node 20 lacks Promise.withResolvers, which js-libp2p 2.x's peer store lock uses: define it
// (spec behaviour) before anything from libp2p is imported.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers () {
      let resolve, reject
      const promise = new this((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}
