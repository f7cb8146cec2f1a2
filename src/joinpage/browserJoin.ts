import type { CandidateInfo, PairInfo, SelectedPair, SessionEvent, SessionPhase, Verdict } from '../shared/session'
import { DEFAULT_WAIT_SECONDS, type SignalMessage } from '../shared/signaling'
import type { HelloData } from '../shared/protocol/hello'
import { readSignal } from '../shared/protocol/messages'
import { PEER_DONE_GRACE_MS, PING_INTERVAL_MS } from '../shared/protocol/timings'
import { parseCandidateLine } from '../shared/protocol/candidateLine'
import { SignalApi, SignalCallError, signalingLost } from './api'
import { chunkSide, decodeProbe, encodeProbe } from '../shared/probe'
import { readStats, type StatsEntry } from './stats'
import { foldPairs } from './pairs'
import { pageSide } from './side'
import { decideVerdict } from '../shared/diagnosis/verdict'
import { SessionTimers } from '../shared/timers'

export interface JoinOptions {
  name: string
  version: string
  /** The STUN server: the peerlens server's own host and port (it answers STUN there). */
  stunUrl: string
  timeoutMs: number
  probes: number
}

/** What the page shows; replaced (not mutated) on every change. */
export interface JoinState {
  phase: SessionPhase
  hostName?: string
  hostVersion?: string
  local: CandidateInfo[]
  remote: CandidateInfo[]
  pairs: PairInfo[]
  selected: SelectedPair | null
  rtts: number[]
  /** Milliseconds from opening the page until the data channel opened. */
  connectedAfterMs: number | null
  verdict?: { verdict: Verdict; reason: string }
  error?: string
  reportSent: boolean
}

// Distributes over the union so each event keeps its own shape.
type NewEvent = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'atMs'> : never) : never

/** How long the page pings before it sends its half of the report, whatever came back. */
const PROBE_WAIT_MS = 5_000
const STATS_EVERY_MS = 250

/**
 * The joiner's side of protocol v1 in a browser: joins the room, says hello, answers the host's
 * offer with the browser's own RTCPeerConnection, trickles candidates, speaks the probe on the
 * "peerlens" data channel and sends its half of the report to the host.
 */
export class BrowserJoin {
  readonly events: SessionEvent[] = []
  readonly startedAt = new Date().toISOString()
  private readonly t0 = performance.now()
  private state: JoinState = { phase: 'signaling', local: [], remote: [], pairs: [], selected: null, rtts: [], connectedAfterMs: null, reportSent: false }
  private pc: RTCPeerConnection | undefined
  private dc: RTCDataChannel | undefined
  private readonly pending: Array<RTCIceCandidateInit | null> = []
  private readonly pairs = new Map<string, PairInfo>()
  private connectedAfterMs: number | null = null
  private readonly polling = new AbortController()
  private readonly timers = new SessionTimers()
  private statsTimer: ReturnType<typeof setInterval> | undefined
  private ownDone = false
  private peerDone = false
  private finished = false
  private queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly api: SignalApi,
    private readonly options: JoinOptions,
    private readonly onChange: (state: JoinState) => void
  ) {}

  /** Joins with the secret (sent only in the join request's body), then runs until done or failed. */
  async start(secret: string): Promise<void> {
    this.set({})
    await this.api.join(secret, this.options.name)
    this.phase('signaling')
    this.timers.later(() => this.fail(this.timeoutReason()), this.options.timeoutMs)
    void this.pollLoop()
    await this.send('hello', { name: this.options.name, version: this.options.version, features: [] } satisfies HelloData)
  }

  /** Leaving before the end tells the host at once, rather than letting it time out. */
  leave(): void {
    if (this.finished) return
    void this.api.post('bye', { reason: 'the browser page was closed' }, true).catch(() => {})
  }

  private now(): number {
    return Math.round(performance.now() - this.t0)
  }

  private emit(event: NewEvent): void {
    this.events.push({ ...event, atMs: this.now() } as SessionEvent)
  }

  private set(patch: Partial<JoinState>): void {
    this.state = { ...this.state, ...patch }
    this.onChange(this.state)
  }

  private phase(phase: SessionPhase, detail?: string): void {
    this.emit(detail ? { kind: 'phase', phase, detail } : { kind: 'phase', phase })
    this.set({ phase })
  }


  private timeoutReason(): string {
    const s = Math.round(this.options.timeoutMs / 1000)
    if (!this.pc) return `no answer from the host within ${s} s (is peerlens host still running?)`
    if (!this.dc || this.dc.readyState !== 'open') return `ICE checks found no working candidate pair within ${s} s`
    return `the data channel opened but probes got no answer within ${s} s`
  }

  private async send(type: string, data: unknown): Promise<void> {
    this.emit({ kind: 'signal', direction: 'out', type })
    await this.api.post(type, data)
  }

  private async pollLoop(): Promise<void> {
    let after = 0
    let failures = 0
    while (!this.polling.signal.aborted) {
      try {
        const { messages, next } = await this.api.poll(after, DEFAULT_WAIT_SECONDS, this.polling.signal)
        failures = 0
        after = next
        for (const m of messages) {
          // One at a time, in order: the offer is applied before the candidates after it.
          this.queue = this.queue.then(() => this.onSignal(m)).catch((err: Error) => this.fail(`signaling message ${m.type} failed: ${err.message}`))
        }
      } catch (err) {
        if (this.polling.signal.aborted) return
        // A lost poll is asked again with the same `after`; give up only when the room is gone.
        const gone = err instanceof SignalCallError && (err.status === 401 || err.status === 404)
        if (gone || ++failures >= 3) {
          if (this.connectedAfterMs === null) this.fail(signalingLost(err))
          return
        }
        await new Promise((resolve) => setTimeout(resolve, 500 * failures))
      }
    }
  }

  private async onSignal(m: SignalMessage): Promise<void> {
    this.emit({ kind: 'signal', direction: 'in', type: m.type })
    const signal = readSignal(m.type, m.data)
    // The page runs the first attempt only; types it does not know (or need) are ignored, as the protocol says.
    if (signal.kind === 'hello') {
      const { name, version, features } = signal.hello
      this.emit({ kind: 'peer-hello', name, version, features })
      this.set({ hostName: name, hostVersion: version })
    } else if (signal.kind === 'offer' && signal.attempt === 1) await this.answer(signal.sdp)
    else if (signal.kind === 'candidate' && signal.attempt === 1) await this.addRemoteCandidate(signal.data)
    else if (signal.kind === 'bye') {
      if (this.connectedAfterMs === null) this.fail(`the host left${signal.reason ? `: ${signal.reason}` : ''}`)
      this.polling.abort()
    }
  }

  private async answer(sdp: string): Promise<void> {
    if (this.pc || this.finished) return
    this.phase('gathering')
    const pc = new RTCPeerConnection({ iceServers: [{ urls: this.options.stunUrl }] })
    this.pc = pc
    const server = this.options.stunUrl.replace(/^stuns?:/, '')
    pc.onicecandidate = (e) => {
      if (!e.candidate || !e.candidate.candidate) {
        void this.send('candidate', null).catch(() => {})
        return
      }
      const info = parseCandidateLine(e.candidate.candidate, this.now(), { stun: server })
      if (info) {
        this.emit({ kind: 'local-candidate', candidate: info })
        this.set({ local: [...this.state.local, info] })
      }
      void this.send('candidate', e.candidate.toJSON()).catch(() => {})
    }
    pc.onicegatheringstatechange = () => this.emit({ kind: 'gathering', state: pc.iceGatheringState })
    pc.oniceconnectionstatechange = () => {
      const state = pc.iceConnectionState
      this.emit({ kind: 'ice-state', state })
      if (state === 'checking') this.phase('checking')
      if (state === 'connected' || state === 'completed') void this.sampleStats()
      if (state === 'failed') this.fail('ICE failed: every candidate pair failed its connectivity checks')
    }
    pc.ondatachannel = (e) => {
      if (e.channel.label === 'peerlens') this.useChannel(e.channel)
    }
    await pc.setRemoteDescription({ type: 'offer', sdp })
    for (const init of this.pending.splice(0)) await this.applyCandidate(init)
    const answer = await pc.createAnswer()
    await pc.setLocalDescription(answer)
    await this.send('answer', { type: 'answer', sdp: pc.localDescription?.sdp ?? answer.sdp })
    // Browsers fire no event when a pair changes state: sample getStats, as webrtc-internals does.
    this.statsTimer = setInterval(() => void this.sampleStats(), STATS_EVERY_MS)
  }

  /** Candidates that arrive before the offer wait in a queue; none is dropped. */
  private async addRemoteCandidate(data: Record<string, unknown> | null): Promise<void> {
    const init = data && typeof data.candidate === 'string' ? (data as RTCIceCandidateInit) : null
    if (init?.candidate) {
      const info = parseCandidateLine(init.candidate, this.now())
      if (info) {
        this.emit({ kind: 'remote-candidate', candidate: info })
        this.set({ remote: [...this.state.remote, info] })
      }
    }
    if (!this.pc?.remoteDescription) {
      this.pending.push(init)
      return
    }
    await this.applyCandidate(init)
  }

  private async applyCandidate(init: RTCIceCandidateInit | null): Promise<void> {
    if (!this.pc) return
    try {
      // null (or an empty candidate) is the end-of-candidates marker.
      await this.pc.addIceCandidate(init && init.candidate ? init : undefined)
    } catch (err) {
      if (init?.candidate) this.emit({ kind: 'error', message: `remote candidate refused: ${(err as Error).message}` })
    }
  }

  private async sampleStats(): Promise<void> {
    if (!this.pc) return
    let entries: StatsEntry[]
    try {
      const report = await this.pc.getStats()
      entries = [...report.values()] as StatsEntry[]
    } catch {
      return
    }
    const view = readStats(entries, { local: this.state.local, remote: this.state.remote })
    const { events, changed } = foldPairs(this.pairs, view.pairs, this.now())
    for (const event of events) this.emit(event)
    const selected = view.selected
    if (selected && !samePair(selected, this.state.selected)) {
      this.emit({ kind: 'selected-pair', pair: selected })
      this.set({ selected })
    }
    if (changed) this.set({ pairs: [...this.pairs.values()].map((p) => ({ ...p })) })
  }

  private useChannel(dc: RTCDataChannel): void {
    this.dc = dc
    const sent = new Map<number, number>()
    dc.onopen = () => {
      this.emit({ kind: 'channel-open' })
      this.connectedAfterMs = this.now()
      this.set({ connectedAfterMs: this.connectedAfterMs })
      this.phase('connected')
      void this.sampleStats()
      this.phase('measuring')
      this.timers.later(() => void this.endProbing(), PROBE_WAIT_MS)
      for (let id = 1; id <= this.options.probes; id++) {
        this.timers.later(() => {
          if (dc.readyState !== 'open') return
          sent.set(id, performance.now())
          dc.send(encodeProbe({ t: 'ping', id, ts: Date.now() }))
        }, (id - 1) * PING_INTERVAL_MS)
      }
    }
    dc.onmessage = (e) => {
      const m = decodeProbe(e.data)
      if (!m) return
      if (m.t === 'ping') {
        // `rts` is our clock when answering: the host estimates the clock offset from it.
        if (dc.readyState === 'open') dc.send(encodeProbe({ t: 'pong', id: m.id, ts: m.ts, rts: Date.now() }))
      } else if (m.t === 'pong') {
        const at = sent.get(m.id)
        if (at === undefined) return
        sent.delete(m.id)
        const rtt = Math.round((performance.now() - at) * 100) / 100
        this.emit({ kind: 'probe', rttMs: rtt })
        this.set({ rtts: [...this.state.rtts, rtt] })
        if (this.state.rtts.length >= this.options.probes) void this.endProbing()
      } else if (m.t === 'done') {
        this.peerDone = true
        if (this.ownDone) this.finish()
      }
    }
    dc.onclose = () => {
      if (this.connectedAfterMs !== null) this.finish()
    }
  }

  /** Our numbers are in: send our half of the report, then "done", as the host does. */
  private async endProbing(): Promise<void> {
    if (this.ownDone || !this.dc) return
    this.ownDone = true
    await this.sampleStats()
    const dc = this.dc
    if (dc.readyState === 'open') {
      try {
        for (const part of chunkSide(this.side())) dc.send(encodeProbe(part))
        this.set({ reportSent: true })
      } catch (err) {
        this.emit({ kind: 'error', message: `could not send this side of the report: ${(err as Error).message}` })
      }
      dc.send(encodeProbe({ t: 'done' }))
    }
    if (this.peerDone) this.finish()
    // The host's "done" may never come (it quit).
    this.timers.later(() => this.finish(), PEER_DONE_GRACE_MS)
  }

  private verdict(failure?: string): { verdict: Verdict; reason: string } {
    return decideVerdict({ selectedPair: this.state.selected, channelWorks: this.connectedAfterMs !== null, failure })
  }

  private fail(reason: string): void {
    this.emit({ kind: 'error', message: reason })
    if (this.connectedAfterMs !== null) return
    this.finish(reason)
  }

  private finish(failure?: string): void {
    if (this.finished) return
    this.finished = true
    this.timers.clear()
    if (this.statsTimer) clearInterval(this.statsTimer)
    const verdict = this.verdict(failure)
    this.emit({ kind: 'phase', phase: verdict.verdict === 'failed' ? 'failed' : 'done', detail: verdict.reason })
    if (verdict.verdict === 'failed') {
      this.polling.abort()
      void this.api.post('bye', { reason: verdict.reason }).catch(() => {})
      this.pc?.close()
    }
    this.set({ phase: verdict.verdict === 'failed' ? 'failed' : 'done', verdict, ...(failure ? { error: failure } : {}) })
  }

  /** This side's half of the report (side.ts). */
  side(): unknown {
    const s = this.state
    const page = { name: this.options.name, version: this.options.version, startedAt: this.startedAt, connectedAfterMs: this.connectedAfterMs }
    return pageSide({ ...page, verdict: this.verdict(), selected: s.selected, rtts: s.rtts, local: s.local, remote: s.remote, pairs: [...this.pairs.values()], events: [...this.events] }, navigator.userAgent)
  }
}

function samePair(a: SelectedPair, b: SelectedPair | null): boolean {
  return !!b && JSON.stringify(a) === JSON.stringify(b)
}
