import { isIP } from 'node:net'
import { parse, parseHttpUrl, parseListen, parseSeconds } from '../args'
import { listenErrorText } from '../../core/signaling/listenError'
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
    'stun-alt': { type: 'string' },
    redis: { type: 'string' },
    'metrics-listen': { type: 'string' },
    quiet: { type: 'boolean' }
  })
  const { host, port } = parseListen(values.listen!)
  const stunAlt = values['stun-alt'] === undefined ? undefined : parseStunAlt(values['stun-alt'], host, port)
  const ttl = parseSeconds(values['room-ttl'], '--room-ttl', 600)
  let rateLimit: { perSecond: number; burst: number } | undefined
  if (values['rate-limit'] !== undefined) {
    const perSecond = Number(values['rate-limit'])
    if (!Number.isInteger(perSecond) || perSecond < 0) throw new UsageError('--rate-limit wants requests per second per address (0 turns it off)')
    rateLimit = { perSecond, burst: Math.max(1, perSecond * 4) }
  }
  const joinPage = ctx.joinPageDir ? await readJoinPageAssets(ctx.joinPageDir) : undefined
  const publicUrl = values['public-url']
  if (publicUrl !== undefined) parseHttpUrl(publicUrl, '--public-url')
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
      ...(store ? { store, groups: store.groups } : {}),
      ttlMs: ttl * 1000,
      rateLimit,
      joinPage,
      // Given its public name, it answers to that name and its listen addresses only (DNS rebinding).
      ...(publicUrl ? { allowedHosts: advertisedHosts(host, [publicUrl]) } : {}),
      trustProxy: values['trust-proxy'] ?? false,
      ...(stunAlt ? { stunAlt } : {}),
      log: values.quiet ? undefined : (l) => io.stderr(l + '\n')
    })
  } catch (err) {
    store?.close()
    throw new UsageError(listenErrorText(host, port, err))
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
  else if (stunAlt) io.stdout(`stun: RFC 5780, other address ${urlHost(stunAlt.address)}:${stunAlt.port ?? running.port + 1}\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await Promise.all([running.stop(), metrics?.close()])
  return 0
}

/** --stun-alt ADDR[:PORT]: an IP address of this machine other than the listen address (and a port other than its port). */
export function parseStunAlt(text: string, host: string, port: number): { address: string; port?: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)|([0-9a-fA-F:]+))(?::(\d{1,5}))?$/.exec(text.trim())
  const address = m ? (m[1] ?? m[2] ?? m[3])! : ''
  if (!m || isIP(address) === 0) throw new UsageError(`--stun-alt wants an IP address and an optional port (ADDR[:PORT]), got ${JSON.stringify(text)}`)
  if (host === '0.0.0.0' || host === '::') throw new UsageError('--stun-alt needs --listen with a specific address (the primary STUN address), not a wildcard')
  if (isIP(address) !== isIP(host)) throw new UsageError(`--stun-alt ${address} and --listen ${host} must be the same address family`)
  if (address === host) throw new UsageError('--stun-alt must be a second address, not the listen address')
  const altPort = m[4] === undefined ? undefined : Number(m[4])
  if (altPort !== undefined && (altPort < 1 || altPort > 65535 || altPort === port)) throw new UsageError(`--stun-alt port must be from 1 to 65535 and differ from ${port}`)
  return { address, ...(altPort !== undefined ? { port: altPort } : {}) }
}
