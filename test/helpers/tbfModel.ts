// A pure model of a shaped link for the UDP rate search's table tests: a paced sender, Linux's tbf
// (token bucket of `burst` bytes filled at `rate`, a FIFO of rate x latency + burst bytes, tail drop)
// counting each packet with its Ethernet, IP and UDP headers, then random loss on arrival.
import { ArrivalWindows, isMark, markFor, type StepOutcome, type StepRequest } from '../../src/shared/measure/udpRate'

export const WIRE_OVERHEAD = 14 + 20 + 8

export interface TbfLink {
  mbit: number
  lossPercent?: number
  /** Fixed one-way delay, ms. */
  delayMs?: number
  /** The most packets per second the sender manages (a slow CPU); default unlimited. */
  senderPps?: number
  seed?: number
}

/** Payload bytes per second the link carries for packets of `packetBytes`. */
export function payloadRate(link: TbfLink, packetBytes: number): number {
  return ((link.mbit * 1e6) / 8) * (packetBytes / (packetBytes + WIRE_OVERHEAD))
}

function random(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 2 ** 32
  }
}

/** A model link; run() sends one step over it, starting idle (the drain gap emptied the queue). */
export function tbfLink(link: TbfLink): { run(step: StepRequest, packetBytes: number): StepOutcome } {
  const rand = random(link.seed ?? 1)
  const rate = (link.mbit * 1e6) / 8 / 1000 // bytes per ms
  const burst = Math.max(32_000, Math.round((rate * 1000) / 100))
  const limit = rate * 50 + burst
  return {
    run(step, packetBytes) {
      const wire = packetBytes + WIRE_OVERHEAD
      let pps = step.offeredBps / packetBytes
      if (link.senderPps) pps = Math.min(pps, link.senderPps)
      const n = Math.max(1, Math.floor((pps * step.ms) / 1000))
      const gap = 1000 / pps
      let tokens = burst
      let tokensAt = 0
      let lastDeparture = 0
      const queue: number[] = [] // departure times of packets still queued
      let head = 0
      let received = 0
      let firstMs: number | null = null
      let lastMs: number | null = null
      const marks = new Map<number, number>()
      const windows = new ArrivalWindows()
      for (let i = 0; i < n; i++) {
        const t = i * gap
        while (head < queue.length && queue[head]! <= t) head++
        if ((queue.length - head) * wire + wire > limit) continue
        let d = Math.max(t, lastDeparture)
        let have = Math.min(burst, tokens + rate * (d - tokensAt))
        if (have < wire) {
          d += (wire - have) / rate
          have = wire
        }
        tokens = have - wire
        tokensAt = d
        lastDeparture = d
        queue.push(d)
        if (rand() * 100 < (link.lossPercent ?? 0)) continue
        const at = d + (link.delayMs ?? 1)
        received++
        firstMs ??= at
        lastMs = at
        if (isMark(received)) marks.set(received, at)
        windows.add(packetBytes, at)
      }
      const medianBps = windows.median()
      const fromN = markFor(received)
      const fromMs = fromN === undefined ? undefined : marks.get(fromN)
      return { ...step, sent: n, sentMs: n * gap, received, bytes: received * packetBytes, firstMs, lastMs, ...(fromN !== undefined && fromMs !== undefined ? { fromN, fromMs } : {}), ...(medianBps !== undefined ? { medianBps } : {}) }
    }
  }
}
