import { RTCPeerConnection, type RTCDataChannel } from 'werift'
import type { SignalChannel } from '../signaling/channel'
import type { SignalMessage, HelloData } from '../../shared/signaling'
import type { CandidateInfo, PairInfo, Role, SelectedPair, SessionEvent, SessionPhase, SessionResult } from '../../shared/session'
import { APP_VERSION } from '../../shared/version'
import { weriftConfig, serverOf, type IceOptions } from './iceConfig'
import { candidateRef, pairSnapshot, parseCandidate } from './candidates'
import { chunkSide, decodeProbe, encodeProbe, median, SideAssembler } from './probe'
import { decideVerdict } from '../diagnosis/verdict'

export interface SessionOptions {
  role: Role
  channel: SignalChannel
  ice: IceOptions
  /** A name for this side, shown to the other one. */
  name?: string
  /** Give up connecting after this long. */
  timeoutMs?: number
  /** Pings sent over the data channel once it opens. */
  probes?: number
  /** This side's half of the report, sent to the other side once probing ends. */
  describeSide?: (result: SessionResult) => unknown
}

/** The features this peer announces in hello; extensions are used only with peers that announce them. */
export const FEATURES: string[] = []

type Listener = (event: SessionEvent) => void

/** How long probes may take once the channel is open before we stop waiting for their echoes. */
const PROBE_WAIT_MS = 5_000
const PEER_DONE_GRACE_MS = 3_000
const BYE_GRACE_MS = 1_000

/**
 * One side of a connection attempt: signals over a SignalChannel, connects a werift peer,
 * opens a data channel, measures it, and records everything it saw as events.
 */
export class PeerSession {
  readonly events: SessionEvent[] = []
  private readonly listeners = new Set<Listener>()
  private readonly t0 = performance.now()
  private readonly startedAt = new Date().toISOString()
  private pc: RTCPeerConnection | undefined
  private dc: RTCDataChannel | undefined
  private readonly pendingCandidates: Array<Record<string, unknown> | null> = []
  private readonly localCandidates: CandidateInfo[] = []
  private readonly remoteCandidates: CandidateInfo[] = []
  private readonly pairs = new Map<string, PairInfo>()
  private readonly rtts: number[] = []
  private selected: SelectedPair | null = null
  private peer: SessionResult['peer']
  private peerDone = false
  /** The other side's half of the report, when it arrived over the data channel. */
  peerSide: unknown
  private ownDone = false
  private connectedAfterMs: number | null = null
  private pairTimer: NodeJS.Timeout | undefined
  private readonly timers = new Set<NodeJS.Timeout>()
  private finish!: (failure?: string) => void
  private readonly finished: Promise<string | undefined>
  private closed = false

  constructor(private readonly options: SessionOptions) {
    this.finished = new Promise((resolve) => {
      let done = false
      this.finish = (failure) => {
        if (done) return
        done = true
        resolve(failure)
      }
    })
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private now(): number {
    return Math.round(performance.now() - this.t0)
  }

  // Distributes over the union so each event keeps its own shape.
  private emit(event: SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'atMs'> : never) : never): void {
    const full = { ...event, atMs: this.now() } as SessionEvent
    this.events.push(full)
    for (const listener of this.listeners) listener(full)
  }

  private phase(phase: SessionPhase, detail?: string): void {
    this.emit(detail ? { kind: 'phase', phase, detail } : { kind: 'phase', phase })
  }

  async run(): Promise<SessionResult> {
    const { role, channel } = this.options
    this.phase('signaling')
    // Messages are handled one at a time, in order: an answer is applied before the candidates after it.
    let queue = Promise.resolve()
    channel.start(
      (m) => {
        queue = queue.then(() => this.onSignal(m)).catch((err: Error) => this.fail(`signaling message ${m.type} failed: ${err.message}`))
      },
      (err) => this.fail(`signaling lost: ${err.message}`)
    )
    if (role === 'join') {
      await this.send('hello', this.hello())
    }
    const timeoutMs = this.options.timeoutMs ?? 30_000
    const timer = setTimeout(() => this.fail(this.timeoutReason(timeoutMs)), timeoutMs)
    const failure = await this.finished
    clearTimeout(timer)
    return this.result(failure)
  }

  private hello(): HelloData {
    return { name: this.options.name ?? this.options.role, version: APP_VERSION, features: FEATURES }
  }

  private timeoutReason(ms: number): string {
    const s = Math.round(ms / 1000)
    if (!this.pc) return `no answer from the other side within ${s} s (is it running and joined to the same room?)`
    if (!this.pc.remoteDescription) return `the other side never completed the offer/answer exchange within ${s} s`
    if (!this.dc || this.dc.readyState !== 'open') return `ICE checks found no working candidate pair within ${s} s`
    return `the data channel opened but probes got no answer within ${s} s`
  }

  private fail(reason: string): void {
    if (this.connectedAfterMs !== null) {
      // Already measured: a late problem is worth noting, not a failure.
      this.emit({ kind: 'error', message: reason })
      this.finish()
      return
    }
    this.emit({ kind: 'error', message: reason })
    this.finish(reason)
  }

  private async send(type: string, data: unknown): Promise<void> {
    this.emit({ kind: 'signal', direction: 'out', type })
    await this.options.channel.send(type, data)
  }

  private async onSignal(message: SignalMessage): Promise<void> {
    this.emit({ kind: 'signal', direction: 'in', type: message.type })
    const data = message.data as Record<string, unknown> | null
    switch (message.type) {
      case 'hello': {
        const hello = data as Partial<HelloData> | null
        this.peer = {
          name: typeof hello?.name === 'string' ? hello.name : 'unknown',
          version: typeof hello?.version === 'string' ? hello.version : 'unknown',
          features: Array.isArray(hello?.features) ? hello.features.filter((f): f is string => typeof f === 'string') : []
        }
        this.emit({ kind: 'peer-hello', ...this.peer })
        if (this.options.role === 'host' && !this.pc) {
          // Answer with our own hello so the joiner learns our version and features, then offer.
          await this.send('hello', this.hello())
          await this.offer()
        }
        return
      }
      case 'offer':
        if (this.options.role === 'join') await this.answer(data)
        return
      case 'answer':
        if (this.options.role === 'host' && this.pc) {
          await this.pc.setRemoteDescription({ type: 'answer', sdp: String(data?.sdp ?? '') })
          await this.flushCandidates()
        }
        return
      case 'candidate':
        await this.addRemoteCandidate(data)
        return
      case 'bye':
        if (this.connectedAfterMs === null) this.fail(`the other side left${data?.reason ? `: ${String(data.reason)}` : ''}`)
        // Signaling can overtake the data channel: give its last messages (the other side's report half) a moment.
        else this.later(() => this.finish(), BYE_GRACE_MS)
        return
      default:
      // Types we do not know are ignored, as the protocol says.
    }
  }

  private createPeer(): RTCPeerConnection {
    const pc = new RTCPeerConnection(weriftConfig(this.options.ice))
    this.pc = pc
    const servers = { stun: serverOf(this.options.ice.stun[0]), turn: serverOf(this.options.ice.turn[0]) }
    pc.onIceCandidate.subscribe((candidate) => {
      if (!candidate) {
        void this.send('candidate', null)
        return
      }
      const info = parseCandidate(candidate.candidate, this.now(), servers)
      if (info) {
        this.localCandidates.push(info)
        this.emit({ kind: 'local-candidate', candidate: info })
      }
      void this.send('candidate', candidate.toJSON()).catch(() => {})
    })
    pc.iceGatheringStateChange.subscribe((state) => {
      this.emit({ kind: 'gathering', state })
      if (state === 'complete') void this.send('candidate', null).catch(() => {})
    })
    pc.iceConnectionStateChange.subscribe((state) => {
      this.emit({ kind: 'ice-state', state })
      if (state === 'checking') {
        this.phase('checking')
        this.watchPairs()
      }
      if (state === 'connected' || state === 'completed') this.readSelectedPair()
      if (state === 'failed') this.fail('ICE failed: every candidate pair failed its connectivity checks')
    })
    pc.onDataChannel.subscribe((dc) => this.useChannel(dc))
    this.phase('gathering')
    return pc
  }

  private async offer(): Promise<void> {
    const pc = this.createPeer()
    this.useChannel(pc.createDataChannel('peerlens', { ordered: true }))
    const offer = await pc.createOffer()
    await pc.setLocalDescription(offer)
    await this.send('offer', { type: 'offer', sdp: pc.localDescription?.sdp })
  }

  private async answer(data: Record<string, unknown> | null): Promise<void> {
    if (this.pc) return
    const pc = this.createPeer()
    await pc.setRemoteDescription({ type: 'offer', sdp: String(data?.sdp ?? '') })
    await this.flushCandidates()
    const answer = await pc.createAnswer()
    await pc.setLocalDescription(answer)
    await this.send('answer', { type: 'answer', sdp: pc.localDescription?.sdp })
  }

  /** Candidates that arrive before the remote description wait in a queue; none is dropped. */
  private async addRemoteCandidate(init: Record<string, unknown> | null): Promise<void> {
    if (init && typeof init.candidate === 'string') {
      const info = parseCandidate(init.candidate, this.now())
      if (info) {
        this.remoteCandidates.push(info)
        this.emit({ kind: 'remote-candidate', candidate: info })
      }
    }
    if (!this.pc?.remoteDescription) {
      this.pendingCandidates.push(init)
      return
    }
    await this.applyCandidate(init)
  }

  private async flushCandidates(): Promise<void> {
    for (const init of this.pendingCandidates.splice(0)) await this.applyCandidate(init)
  }

  private async applyCandidate(init: Record<string, unknown> | null): Promise<void> {
    if (!this.pc) return
    // An empty candidate string is the end-of-candidates marker in the browser's API.
    if (init === null || init.candidate === '') {
      await this.pc.addIceCandidate(undefined).catch(() => {})
      return
    }
    try {
      await this.pc.addIceCandidate(init as { candidate: string; sdpMid?: string; sdpMLineIndex?: number })
    } catch (err) {
      this.emit({ kind: 'error', message: `remote candidate refused: ${(err as Error).message}` })
    }
  }

  /** werift has no pair-state event: sample the check list, as webrtc-internals samples getStats. */
  private watchPairs(): void {
    if (this.pairTimer) return
    const sample = (): void => {
      const list = this.pc?.iceTransports[0]?.connection.checkList ?? []
      for (const pair of list) {
        const snap = pairSnapshot(pair)
        const known = this.pairs.get(snap.id)
        if (!known) {
          const info: PairInfo = { ...snap, history: [{ state: snap.state, atMs: this.now() }] }
          this.pairs.set(snap.id, info)
          this.emit({ kind: 'pair', pair: structuredClone(info) })
          continue
        }
        const changed = known.state !== snap.state || known.nominated !== snap.nominated
        const history = known.state !== snap.state ? [...known.history, { state: snap.state, atMs: this.now() }] : known.history
        Object.assign(known, snap, { history })
        if (changed) this.emit({ kind: 'pair', pair: structuredClone(known) })
      }
    }
    sample()
    this.pairTimer = setInterval(sample, 100)
  }

  private readSelectedPair(): void {
    const pair = this.pc?.iceTransports[0]?.getSelectedCandidatePair()
    const nominated = this.pc?.iceTransports[0]?.connection.nominated
    const source = nominated ? { local: nominated.localCandidate, remote: nominated.remoteCandidate } : undefined
    if (source) {
      this.selected = { local: candidateRef(source.local), remote: candidateRef(source.remote) }
    } else if (pair) {
      const local = parseCandidate(pair.local.candidate, 0)
      const remote = parseCandidate(pair.remote.candidate, 0)
      if (local && remote) this.selected = { local: strip(local), remote: strip(remote) }
    }
    if (this.selected) this.emit({ kind: 'selected-pair', pair: this.selected })
  }

  private useChannel(dc: RTCDataChannel): void {
    this.dc = dc
    const probes = this.options.probes ?? 5
    const sent = new Map<number, number>()
    const sides = new SideAssembler()
    dc.stateChanged.subscribe((state) => {
      if (state !== 'open') return
      this.emit({ kind: 'channel-open' })
      this.readSelectedPair()
      this.connectedAfterMs = this.now()
      this.phase('connected')
      this.phase('measuring')
      // A peer that does not speak the probe (a third-party client) still counts as connected.
      this.later(() => this.endProbing(dc), PROBE_WAIT_MS)
      for (let id = 1; id <= probes; id++) {
        this.later(() => {
          if (dc.readyState !== 'open') return
          sent.set(id, performance.now())
          dc.send(encodeProbe({ t: 'ping', id, ts: Date.now() }))
        }, (id - 1) * 20)
      }
    })
    dc.onMessage.subscribe((data) => {
      const m = decodeProbe(data)
      if (!m) return
      if (m.t === 'ping') {
        if (dc.readyState === 'open') dc.send(encodeProbe({ t: 'pong', id: m.id, ts: m.ts }))
      } else if (m.t === 'pong') {
        const at = sent.get(m.id)
        if (at === undefined) return
        sent.delete(m.id)
        const rtt = Math.round((performance.now() - at) * 100) / 100
        this.rtts.push(rtt)
        this.emit({ kind: 'probe', rttMs: rtt })
        if (this.rtts.length >= probes) this.endProbing(dc)
      } else if (m.t === 'side') {
        const side = sides.add(m)
        if (side !== undefined) this.peerSide = side
      } else if (m.t === 'done') {
        this.peerDone = true
        this.maybeFinish()
      }
    })
  }

  private endProbing(dc: RTCDataChannel): void {
    if (this.ownDone) return
    this.ownDone = true
    if (dc.readyState === 'open') {
      if (this.options.describeSide) {
        try {
          for (const part of chunkSide(this.options.describeSide(this.result(undefined, false)))) dc.send(encodeProbe(part))
        } catch (err) {
          this.emit({ kind: 'error', message: `could not send this side of the report: ${(err as Error).message}` })
        }
      }
      dc.send(encodeProbe({ t: 'done' }))
    }
    this.maybeFinish()
    // The other side's "done" may never come (it quit, or does not speak the probe).
    this.later(() => this.finish(), PEER_DONE_GRACE_MS)
  }

  /** A timer that is cleared when the session ends, so nothing keeps the process alive. */
  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      fn()
    }, ms)
    this.timers.add(timer)
  }

  private maybeFinish(): void {
    if (this.ownDone && this.peerDone) this.finish()
  }

  /** The session as seen so far; `final` also stops the timers and records the last phase. */
  private result(failure: string | undefined, final = true): SessionResult {
    if (final) {
      if (this.pairTimer) clearInterval(this.pairTimer)
      for (const timer of this.timers) clearTimeout(timer)
      this.timers.clear()
    }
    if (!this.selected && this.connectedAfterMs !== null) this.readSelectedPair()
    const channelWorks = this.connectedAfterMs !== null
    const { verdict, reason } = decideVerdict({ selectedPair: this.selected, channelWorks, failure })
    if (final) this.phase(verdict === 'failed' ? 'failed' : 'done', reason)
    const result: SessionResult = {
      role: this.options.role,
      verdict,
      reason,
      selectedPair: channelWorks ? this.selected : null,
      rttMs: median(this.rtts),
      startedAt: this.startedAt,
      connectedAfterMs: this.connectedAfterMs,
      localCandidates: this.localCandidates,
      remoteCandidates: this.remoteCandidates,
      pairs: [...this.pairs.values()],
      events: [...this.events]
    }
    if (this.peer) result.peer = this.peer
    return result
  }

  private async flushChannel(ms: number): Promise<void> {
    await waitDrained(this.dc, ms)
  }

  /** Tells the other side we are leaving, then releases the peer connection and the channel. */
  async close(reason?: string): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.finish(reason ?? 'closed')
    if (this.pairTimer) clearInterval(this.pairTimer)
    await this.flushChannel(1_000)
    await this.options.channel.send('bye', reason ? { reason } : {}).catch(() => {})
    await this.options.channel.close()
    await this.pc?.close().catch(() => {})
  }
}

/** Waits until the data channel has handed everything to the network, or `ms` passed. */
function waitDrained(dc: RTCDataChannel | undefined, ms: number): Promise<void> {
  if (!dc || dc.readyState !== 'open' || dc.bufferedAmount === 0) return Promise.resolve()
  return new Promise((resolve) => {
    const deadline = Date.now() + ms
    const check = (): void => {
      if (dc.readyState !== 'open' || dc.bufferedAmount === 0 || Date.now() > deadline) resolve()
      else setTimeout(check, 10)
    }
    check()
  })
}

function strip(c: CandidateInfo): SelectedPair['local'] {
  return { type: c.type, protocol: c.protocol, address: c.address, port: c.port }
}
