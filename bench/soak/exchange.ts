// One room's worth of signaling, as two peers do it: join, hello, offer/answer, trickled
// candidates, end of candidates, bye. Every message carries its index and send time so the
// receiver can check order (no loss, duplication or reordering) and measure relay latency.
import { createRoom, httpChannel, joinRoom } from '../../src/core/signaling/client'
import type { SignalChannel } from '../../src/core/signaling/channel'
import type { SignalMessage } from '../../src/shared/signaling'

export interface ExchangeOptions {
  /** Candidates each side trickles. */
  candidates: number
  /** Seconds each long poll asks the server to hold. */
  waitSeconds?: number
  /** Gives up (and reports a failure) after this long. */
  timeoutMs?: number
  /** exchangeMany: rooms start spread over this many ms instead of all in the same instant. */
  rampMs?: number
}

export interface ExchangeResult {
  /** Messages each side received, in order, by index: [host's view, joiner's view]. */
  received: [number[], number[]]
  sent: number
  /** Relay latencies, ms: post start to delivery at the other side. */
  latencies: number[]
  /** Order problems found (empty when everything arrived once and in order). */
  problems: string[]
  room: string
}

interface Payload {
  i: number
  at: number
  sdp?: string
  candidate?: string
}

/** The script one side sends: hello, its description, N candidates, end of candidates, bye. */
function script(side: 'host' | 'join', candidates: number): Array<{ type: string; data: (i: number) => unknown }> {
  const steps: Array<{ type: string; data: (i: number) => unknown }> = [{ type: 'hello', data: (i) => ({ i, at: performance.now() }) }]
  steps.push({ type: side === 'host' ? 'offer' : 'answer', data: (i) => ({ i, at: performance.now(), sdp: 'v=0\r\n'.padEnd(1500, 'a') }) })
  for (let c = 0; c < candidates; c++) {
    steps.push({ type: 'candidate', data: (i) => ({ i, at: performance.now(), candidate: `candidate:${c} 1 udp 2122260223 192.0.2.${c % 250} ${50000 + c} typ host` }) })
  }
  steps.push({ type: 'candidate', data: (i) => ({ i, at: performance.now() }) })
  steps.push({ type: 'bye', data: (i) => ({ i, at: performance.now() }) })
  return steps
}

/** Runs one room through a signaling server at `base`; resolves when both sides got every message. */
export async function exchange(base: string, options: ExchangeOptions): Promise<ExchangeResult> {
  const wait = options.waitSeconds ?? 5
  const created = await createRoom(base)
  const joined = await joinRoom(base, created.room, created.secret, 'soak')
  const channels: [SignalChannel, SignalChannel] = [
    httpChannel(base, created.room, 'host', created.hostToken, { waitSeconds: wait }),
    httpChannel(base, created.room, 'join', joined.token, { waitSeconds: wait })
  ]
  const scripts = [script('host', options.candidates), script('join', options.candidates)]
  const expected = scripts.map((s) => s.length)
  const received: [number[], number[]] = [[], []]
  const latencies: number[] = []
  const problems: string[] = []
  let finish: () => void = () => {}
  let fail: (err: Error) => void = () => {}
  const done = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)))
  // A failure while the sends are still running is reported by them; never leave it unhandled.
  done.catch(() => {})
  const check = (): void => {
    if (received[0].length >= expected[1]! && received[1].length >= expected[0]!) finish()
  }
  channels.forEach((channel, side) => {
    channel.start(
      (message: SignalMessage) => {
        const data = message.data as Payload
        const list = received[side as 0 | 1]
        if (data.i !== list.length) problems.push(`${channel.peerId} got #${data.i} after ${list.length} messages (seq ${message.seq})`)
        list.push(data.i)
        latencies.push(performance.now() - data.at)
        check()
      },
      (err) => fail(err)
    )
  })
  const timer = setTimeout(() => fail(new Error(`room ${created.room}: not complete after ${options.timeoutMs ?? 60_000} ms`)), options.timeoutMs ?? 60_000)
  try {
    // Each side sends in order, one post after the other (as a peer does), both sides at once.
    await Promise.all(
      scripts.map(async (steps, side) => {
        for (let i = 0; i < steps.length; i++) await channels[side]!.send(steps[i]!.type, steps[i]!.data(i))
      })
    )
    await done
  } finally {
    clearTimeout(timer)
    await Promise.all(channels.map((c) => c.close()))
  }
  return { received, sent: expected[0]! + expected[1]!, latencies, problems, room: created.room }
}

/** Runs `rooms` exchanges at once. */
export async function exchangeMany(base: string, rooms: number, options: ExchangeOptions): Promise<{ results: ExchangeResult[]; failures: string[]; ms: number }> {
  const started = performance.now()
  const ramp = options.rampMs ?? 0
  const settled = await Promise.allSettled(
    Array.from({ length: rooms }, async (_, i) => {
      if (ramp) await new Promise((r) => setTimeout(r, (i * ramp) / rooms))
      return exchange(base, options)
    })
  )
  const results: ExchangeResult[] = []
  const failures: string[] = []
  for (const s of settled) {
    if (s.status === 'fulfilled') results.push(s.value)
    else failures.push(String((s.reason as Error)?.message ?? s.reason))
  }
  return { results, failures, ms: performance.now() - started }
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
