// Mapping lifetime (RFC 5780 section 4.6): how long a NAT keeps an idle UDP mapping.
//
// For each idle time T, a fresh socket X sends one Binding request (creating a mapping M) and then
// stays silent. After T, another socket Y asks the server, with RESPONSE-PORT = M's port, to answer to
// our public address at that port. The answer reaches X only while M is still there. All idle times
// run at once on their own sockets, so the whole measurement takes as long as the longest T.
import type { NatEndpoint, NatLifetime } from '../../shared/nat'
import { buildBindingRequest } from '../werift/stunCodec'
import type { RtoEstimator } from '../stun/rto'
import type { StunSocket } from '../stun/transaction'

/** Idle times tried, seconds: roughly geometric, as NAT timeouts cluster at 30, 60, 120 and 300 s. */
export const LIFETIME_STEPS_S = [1, 2, 3, 5, 8, 13, 20, 30, 45, 60, 90, 120, 180, 300]

export function lifetimeSteps(maxS: number): number[] {
  const steps = LIFETIME_STEPS_S.filter((s) => s < maxS)
  return [...steps, maxS]
}

/** Pure: the verdict from the probes (alive means the redirected answer arrived). */
export function summariseLifetime(control: boolean | null, probes: NatLifetime['probes']): NatLifetime {
  if (control !== true) {
    return {
      aliveS: null,
      expiredS: null,
      probes,
      reason: control === null ? 'lifetime unknown: the server did not answer' : 'lifetime unknown: the server does not honour RESPONSE-PORT (or its answer to a fresh mapping was filtered)'
    }
  }
  const sorted = [...probes].filter((p) => p.alive !== null).sort((a, b) => a.afterS - b.afterS)
  const firstDead = sorted.find((p) => p.alive === false)
  const aliveBefore = sorted.filter((p) => p.alive && (!firstDead || p.afterS < firstDead.afterS))
  const aliveS = aliveBefore.length ? aliveBefore[aliveBefore.length - 1]!.afterS : null
  const expiredS = firstDead?.afterS ?? null
  const reason =
    expiredS === null
      ? `the mapping was still there after ${aliveS} s idle (the longest wait tried)`
      : aliveS === null
        ? `the mapping was gone after ${expiredS} s idle`
        : `the mapping lasts between ${aliveS} s and ${expiredS} s idle: keep-alives must come more often than every ${aliveS} s`
  return { aliveS, expiredS, probes, reason }
}

interface LifetimeOptions {
  server: NatEndpoint
  stepsS: number[]
  /** How long a redirected answer may take (read when each probe is made: it follows the RTT). */
  quietMs: () => number
  rto: RtoEstimator
  open: () => Promise<StunSocket>
  /** Test hook: how to wait (real timers by default). */
  sleep?: (ms: number) => Promise<void>
}

export async function measureMappingLifetime(o: LifetimeOptions): Promise<NatLifetime> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const Y = await o.open()

  const probe = async (afterS: number): Promise<boolean | null> => {
    const X = await o.open()
    const first = await X.request(o.server, { rto: o.rto, giveUpMs: 2000 }).done
    if (first.result !== 'reply' || !first.reply.message.mapped) return null
    if (afterS > 0) await sleep(afterS * 1000)
    return redirected(Y, X, o.server, first.reply.message.mapped.port, o.quietMs())
  }

  const [control, ...rest] = await Promise.all([probe(0), ...o.stepsS.map(probe)])
  return summariseLifetime(control ?? null, o.stepsS.map((afterS, i) => ({ afterS, alive: rest[i] ?? null })))
}

/** Y asks for an answer at `port` of our public address; true when X receives it within the window. */
function redirected(Y: StunSocket, X: StunSocket, server: NatEndpoint, port: number, windowMs: number): Promise<boolean> {
  const request = buildBindingRequest({ responsePort: port })
  return new Promise((resolve) => {
    let settled = false
    const done = (alive: boolean) => {
      if (settled) return
      settled = true
      stopWatching()
      clearTimeout(retry)
      clearTimeout(giveUp)
      resolve(alive)
    }
    const stopWatching = X.watch(request.txid, () => done(true))
    let sent = 0
    let retry: NodeJS.Timeout | undefined
    const send = () => {
      sent++
      void Y.sendRaw(request.bytes, server)
      if (sent < 3) retry = setTimeout(send, windowMs / 3)
    }
    const giveUp = setTimeout(() => setImmediate(() => done(false)), windowMs)
    send()
  })
}
