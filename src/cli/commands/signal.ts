import { parse, parseHttpUrl, parseListen, parseSeconds } from '../args'
import { listenErrorText } from '../../core/signaling/listenError'
import { UsageError } from '../errors'
import type { Io } from '../io'
import { startSignalServer } from '../../core/signaling/standalone'
import { readJoinPageAssets } from '../../core/signaling/joinPage'
import type { CliContext } from '../main'
import { advertisedHosts } from '../../core/signaling/hosts'
import { urlHost } from '../../core/net/interfaces'

export { signalUsage } from '../usage'

export async function signalCommand(argv: string[], io: Io, ctx: CliContext = {}): Promise<number> {
  const { values } = parse(argv, {
    listen: { type: 'string', default: '0.0.0.0:8080' },
    'room-ttl': { type: 'string' },
    'rate-limit': { type: 'string' },
    'public-url': { type: 'string' },
    'trust-proxy': { type: 'boolean' },
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
  if (publicUrl !== undefined) parseHttpUrl(publicUrl, '--public-url')
  let running
  try {
    running = await startSignalServer(host, port, {
      ttlMs: ttl * 1000,
      rateLimit,
      joinPage,
      // Given its public name, it answers to that name and its listen addresses only (DNS rebinding).
      ...(publicUrl ? { allowedHosts: advertisedHosts(host, [publicUrl]) } : {}),
      trustProxy: values['trust-proxy'] ?? false,
      log: values.quiet ? undefined : (l) => io.stderr(l + '\n')
    })
  } catch (err) {
    throw new UsageError(listenErrorText(host, port, err))
  }
  io.stdout(`listening: http://${urlHost(host)}:${running.port}/\n`)
  if (running.stunPort === undefined) io.stderr(`warning: UDP port ${running.port} is taken: no STUN responder\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await running.stop()
  return 0
}
