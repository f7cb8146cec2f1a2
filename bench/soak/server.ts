// The soak's server process: the same startSignalServer that `peerlens signal` runs, with the same
// options, in its own process, plus a way to ask for its heap after a full GC (run with --expose-gc)
// over the IPC channel: RSS alone rarely shrinks, the heap says whether expired rooms were freed.
import { startSignalServer } from '../../src/core/signaling/standalone'
import { RedisStore } from '../../src/core/signaling/redis/store'
import { parseRedisUrl } from '../../src/core/signaling/redis/resp'

const ttlS = Number(process.argv[2] ?? 5)
// 'defaults': exactly what `peerlens signal` runs with no options (the memory attack); otherwise the
// limits per address are raised for the soak's own traffic, all from 127.0.0.1.
const defaults = process.argv[3] === 'defaults'
// A redis:// URL as the fourth argument: rooms in Redis (`peerlens signal --redis`).
const redis = process.argv[4]
let store: RedisStore | undefined
if (redis) {
  store = new RedisStore(parseRedisUrl(redis), { ttlMs: ttlS * 1000, ...(defaults ? {} : { maxRoomsPerAddress: 1_000_000 }) })
  await store.connect()
}
const running = await startSignalServer(
  '127.0.0.1',
  0,
  defaults
    ? { ttlMs: ttlS * 1000, ...(store ? { store } : {}) }
    : { ttlMs: ttlS * 1000, rateLimit: { perSecond: 100_000, burst: 400_000 }, maxConnectionsPerAddress: 0, maxRoomsPerAddress: 1_000_000, maxConnections: 10_000, ...(store ? { store } : {}) }
)

process.on('message', (m: { ask: string }) => {
  if (m.ask !== 'memory') return
  ;(globalThis as { gc?: () => void }).gc?.()
  const { heapUsed, rss } = process.memoryUsage()
  void Promise.resolve(running.server.store.stats()).then((stats) =>
    process.send!({ heapUsedMiB: heapUsed / 2 ** 20, rssMiB: rss / 2 ** 20, rooms: stats.rooms, longPolls: running.server.metrics.longPolls })
  )
})
process.on('SIGTERM', () => void running.stop().then(() => process.exit(0)))
process.send!({ port: running.port })
