import { SignalingServer } from '../../core/signaling/server'
import { StunResponder } from '../../core/stun/responder'
import { parse, parseListen, parseSeconds } from '../args'
import { UsageError } from '../errors'
import type { Io } from '../io'
import { urlHost } from '../../core/net/interfaces'

export const signalUsage = `peerlens signal [--listen HOST:PORT] [--room-ttl S] [--rate-limit N] [--quiet]
  A standalone signaling server (protocol v1) with a STUN responder on the same port number.`

/** Starts both servers; returns a stop function. Exported for tests and the desktop app. */
export async function startSignal(host: string, port: number, options: { ttlMs?: number; perSecond?: number; log?: (l: string) => void }) {
  const server = new SignalingServer({
    ttlMs: options.ttlMs,
    log: options.log,
    ...(options.perSecond !== undefined ? { rateLimit: { perSecond: options.perSecond, burst: Math.max(1, options.perSecond * 4) } } : {})
  })
  const address = await server.listen(port, host)
  const stun = new StunResponder()
  let stunPort: number | undefined
  try {
    stunPort = await stun.listen(address.port, host)
  } catch {
    stunPort = undefined
  }
  return {
    server,
    port: address.port,
    stunPort,
    async stop() {
      await Promise.all([server.close(), stun.close()])
    }
  }
}

export async function signalCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    listen: { type: 'string', default: '0.0.0.0:8080' },
    'room-ttl': { type: 'string' },
    'rate-limit': { type: 'string' },
    quiet: { type: 'boolean' }
  })
  const { host, port } = parseListen(values.listen!)
  const ttl = parseSeconds(values['room-ttl'], '--room-ttl', 600)
  let perSecond: number | undefined
  if (values['rate-limit'] !== undefined) {
    perSecond = Number(values['rate-limit'])
    if (!Number.isInteger(perSecond) || perSecond < 0) throw new UsageError('--rate-limit wants requests per second per address (0 turns it off)')
  }
  const running = await startSignal(host, port, { ttlMs: ttl * 1000, perSecond, log: values.quiet ? undefined : (l) => io.stderr(l + '\n') })
  io.stdout(`listening: http://${urlHost(host)}:${running.port}/\n`)
  if (running.stunPort === undefined) io.stderr(`warning: UDP port ${running.port} is taken: no STUN responder\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await running.stop()
  return 0
}
