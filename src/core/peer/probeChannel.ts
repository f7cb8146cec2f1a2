import type { RTCDataChannel } from '../werift/rtc'
import { chunkSide, decodeProbe, encodeProbe, SideAssembler, type ProbeMessage } from '../../shared/probe'
import type { PingSample } from '../measure/rtt'

export interface ProbeHandlers {
  onRtt?: (rttMs: number) => void
  onChosen?: () => void
  onPeerDone?: () => void
}

/**
 * The probe protocol on one attempt's data channel: answers the other side's pings, sends our own,
 * receives the other side's report half, "chosen" and "done".
 */
export class ProbeChannel {
  peerSide: unknown
  peerDone = false
  private readonly sides = new SideAssembler()
  private readonly waiting = new Map<number, { sample: PingSample; at: number; done: () => void }>()

  constructor(
    readonly dc: RTCDataChannel,
    private readonly handlers: ProbeHandlers = {}
  ) {
    dc.onMessage.subscribe((data) => this.receive(data))
  }

  get open(): boolean {
    return this.dc.readyState === 'open'
  }

  send(message: ProbeMessage): void {
    if (this.open) this.dc.send(encodeProbe(message))
  }

  private receive(data: string | Buffer): void {
    const m = decodeProbe(data)
    if (!m) return
    switch (m.t) {
      case 'ping':
        this.send({ t: 'pong', id: m.id, ts: m.ts, rts: Date.now() })
        return
      case 'pong': {
        const w = this.waiting.get(m.id)
        if (!w) return
        this.waiting.delete(m.id)
        w.sample.rttMs = Math.round((performance.now() - w.at) * 100) / 100
        w.sample.receivedWallMs = Date.now()
        if (m.rts !== undefined) w.sample.peerWallMs = m.rts
        this.handlers.onRtt?.(w.sample.rttMs)
        w.done()
        return
      }
      case 'side': {
        const side = this.sides.add(m)
        if (side !== undefined) this.peerSide = side
        return
      }
      case 'chosen':
        this.handlers.onChosen?.()
        return
      case 'done':
        this.peerDone = true
        this.handlers.onPeerDone?.()
        return
    }
  }

  /** Sends `count` pings `intervalMs` apart; a ping without an echo within `waitMs` counts as lost. */
  async ping(count: number, intervalMs: number, waitMs: number, firstId = 1): Promise<PingSample[]> {
    const replies: Array<Promise<void>> = []
    const samples: PingSample[] = []
    for (let i = 0; i < count && this.open; i++) {
      const id = firstId + i
      const sample: PingSample = { rttMs: null, sentWallMs: Date.now() }
      samples.push(sample)
      replies.push(
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.waiting.delete(id)
            resolve()
          }, waitMs)
          this.waiting.set(id, { sample, at: performance.now(), done: () => (clearTimeout(timer), resolve()) })
        })
      )
      this.send({ t: 'ping', id, ts: sample.sentWallMs })
      if (i < count - 1) await new Promise((r) => setTimeout(r, intervalMs))
    }
    await Promise.all(replies)
    return samples
  }

  sendSide(side: unknown): void {
    for (const part of chunkSide(side)) this.send(part)
  }

  /** Waits until the channel has handed everything to the network, or `ms` passed. */
  async drained(ms: number): Promise<void> {
    const deadline = Date.now() + ms
    while (this.open && this.dc.bufferedAmount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  }
}
