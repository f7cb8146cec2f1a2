import { parse, parseListen, parseSeconds } from '../args'
import { EXIT, UsageError } from '../errors'
import type { Io } from '../io'
import { startSignalServer } from '../../core/signaling/standalone'
import { readJoinPageAssets } from '../../core/signaling/joinPage'
import type { CliContext } from '../main'
import { advertisedHosts } from '../../core/signaling/hosts'
import { urlHost } from '../../core/net/interfaces'
import { parseRedisUrl } from '../../core/signaling/redis/resp'
import { RedisStore } from '../../core/signaling/redis/store'
import { MetricsServer } from '../../core/metrics/server'

export { signalUsage } from '../usage'

export async function signalCommand(argv: string[], io: Io, ctx: CliContext = {}): Promise<number> {
  const { values } = parse(argv, {
    listen: { type: 'string', default: '0.0.0.0:8080' },
    'room-ttl': { type: 'string' },
    'rate-limit': { type: 'string' },
    'public-url': { type: 'string' },
    'trust-proxy': { type: 'boolean' },
    redis: { type: 'string' },
    'metrics-listen': { type: 'string' },
    quiet: { type: 'boolean' }
  })
  const { host, port } = parseListen(values.listen!)
  const ttl = parseSeconds(values['room-ttl'], '--room-ttl', 600)
  let rateLimit: { perSecond: number; burst: number } | undefined
  if (values['rate-limit'] !== undefined) {
    const perSecond = Number(values['rate-limit'])
    if (!Number.isInteger(perSecond) || perSecond < 0) throw new UsageError('--rate-limit wants requests per second per address (0 turns it off)')
    rateLimit = { perSecond, burst: Math.max(1, perSecond * 4) }
  }
  const joinPage = ctx.joinPageDir ? await readJoinPageAssets(ctx.joinPageDir) : undefined
  const publicUrl = values['public-url']
  if (publicUrl !== undefined && !/^https?:\/\/[^/]/i.test(publicUrl)) throw new UsageError('--public-url wants an http or https URL')
  const metricsAt = values['metrics-listen'] !== undefined ? parseListen(values['metrics-listen']) : undefined
  let store: RedisStore | undefined
  if (values.redis !== undefined) {
    let target
    try {
      target = parseRedisUrl(values.redis)
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
    store = new RedisStore(target, { ttlMs: ttl * 1000 })
    try {
      await store.connect()
    } catch (err) {
      store.close()
      io.stderr(`peerlens signal: ${(err as Error).message}\n`)
      return EXIT.noConnection
    }
  }
  let running
  try {
    running = await startSignalServer(host, port, {
      ...(store ? { store } : {}),
      ttlMs: ttl * 1000,
      rateLimit,
      joinPage,
      // Given its public name, it answers to that name and its listen addresses only (DNS rebinding).
      ...(publicUrl ? { allowedHosts: advertisedHosts(host, [publicUrl]) } : {}),
      trustProxy: values['trust-proxy'] ?? false,
      log: values.quiet ? undefined : (l) => io.stderr(l + '\n')
    })
  } catch (err) {
    store?.close()
    throw new UsageError(`cannot listen on ${host}:${port}: ${(err as Error).message}`)
  }
  let metrics: MetricsServer | undefined
  if (metricsAt) {
    metrics = new MetricsServer(() => running.server.metrics.collect())
    try {
      const at = await metrics.listen(metricsAt.port, metricsAt.host)
      io.stdout(`metrics: http://${urlHost(metricsAt.host)}:${at.port}/metrics\n`)
    } catch (err) {
      await running.stop()
      throw new UsageError(`cannot listen on ${metricsAt.host}:${metricsAt.port} for metrics: ${(err as Error).message}`)
    }
  }
  io.stdout(`listening: http://${urlHost(host)}:${running.port}/\n`)
  if (store) io.stdout(`rooms in: ${store.target.display}\n`)
  if (running.stunPort === undefined) io.stderr(`warning: UDP port ${running.port} is taken: no STUN responder\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await Promise.all([running.stop(), metrics?.close()])
  return 0
}
