import type { CandidatePair, RTCDataChannel, RTCPeerConnection } from '../werift/rtc'
import type { CandidateInfo, PairInfo, SelectedPair, SessionEvent } from '../../shared/session'
import { serverOf, type IceOptions } from './iceConfig'
import { pairSnapshot } from '../werift/candidates'
import { attemptConnection, checkList, nominatedPair, selectedPairOf } from '../werift/peerConnection'
import { baseAddress, isMdnsName, parseCandidateLine } from '../../shared/protocol/candidateLine'
import { refusedSummary, sameCandidate, sdpCandidates, targetFor, withAddress, withoutMdnsCandidates } from './remoteCandidates'
import { resolveMdns } from './mdns'
import { uncheckedWhy } from '../../shared/pairs'
import { interfaceOf, localAddresses } from '../net/interfaces'
import { excludedAddresses, keepPair } from './pairFilter'

import type { Policy } from './attemptRules'
export type { Policy }

/** Quiet time after the last candidate before an attempt may be judged failed. */
const SETTLE_MS = 600
/** How long a remote mDNS (.local) name may take to resolve before its candidate is skipped. */
const MDNS_WAIT_MS = 2_000

/** What leaves an attempt: session events (time-stamped by the session) and signaling messages. */
export interface AttemptHost {
  now(): number
  emit(event: NewEvent): void
  /** Sends a signaling message of this attempt's kind ('offer' | 'answer' | 'candidate'). */
  signal(kind: 'offer' | 'answer' | 'candidate', data: unknown): Promise<void>
  onChannelOpen(attempt: Attempt, dc: RTCDataChannel): void
  onFailed(attempt: Attempt, reason: string): void
  /** --port-mapping: an extra candidate line (the gateway's mapping of this host candidate's port), or null. */
  mapCandidate?(candidate: CandidateInfo): Promise<string | null>
}

/** A session event before the session stamps its time. */
export type NewEvent = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'atMs'> : never) : never

export interface Exclusions {
  /** Interface names whose addresses must not be used (e.g. the VPN tunnel, to test the path outside it). */
  interfaces?: string[]
  addresses?: string[]
}

/**
 * One ICE attempt: a werift peer connection with one data channel, its candidates and pairs.
 * The session may run two at once (all candidates, and relay only) and use whichever connects.
 */
export class Attempt {
  readonly pc: RTCPeerConnection
  dc: RTCDataChannel | undefined
  readonly localCandidates: CandidateInfo[] = []
  readonly remoteCandidates: CandidateInfo[] = []
  readonly pairs = new Map<string, PairInfo>()
  selected: SelectedPair | null = null
  readonly startedAtMs: number
  connectedAtMs: number | null = null
  failure: string | undefined
  private readonly pending: Array<{ init: Record<string, unknown> | null; info: CandidateInfo | undefined }> = []
  private readonly inflight = new Set<Promise<void>>()
  private pairTimer: NodeJS.Timeout | undefined
  private readonly pairIds = new Map<CandidatePair, string>()
  private remoteEnded = false
  private localEnded = false
  private closed = false
  private readonly excluded: Set<string>
  /** When a candidate or an end-of-candidates last arrived on either side. */
  private lastChangeMs = 0
  private recheck: NodeJS.Timeout | undefined

  constructor(
    readonly id: number,
    readonly policy: Policy,
    ice: IceOptions,
    private readonly host: AttemptHost,
    exclusions: Exclusions = {},
    /** Leave relay pairs to the relay-only attempt running beside this one (see keepPair). */
    readonly directOnly = false
  ) {
    this.startedAtMs = host.now()
    const excluded = excludedAddresses(exclusions)
    this.excluded = excluded
    this.pc = attemptConnection(ice, policy, (pair) => keepPair(pair, excluded, directOnly))
    const servers = { stun: serverOf(ice.stun[0]), turn: serverOf(ice.turn[0]) }
    const interfaces = localAddresses()
    this.pc.onIceCandidate.subscribe((candidate) => {
      this.touched()
      if (!candidate) {
        this.localEnded = true
        void this.endOfCandidates()
        return
      }
      const info = parseCandidateLine(candidate.candidate, host.now(), servers)
      if (!info) return
      const base = baseAddress(info)
      if (base && excluded.has(base)) return // never offered to the other side
      const where = base ? interfaceOf(base, interfaces) : undefined
      if (where && info.type !== 'relay') Object.assign(info, { interface: where.name, vpnLike: where.vpnLike })
      info.attempt = id
      this.localCandidates.push(info)
      this.host.emit({ kind: 'local-candidate', candidate: info })
      void this.host.signal('candidate', candidate.toJSON()).catch(() => {})
      if (host.mapCandidate && policy !== 'relay') this.offerMapped(host.mapCandidate(info), candidate.toJSON(), servers)
    })
    this.pc.iceConnectionStateChange.subscribe((state) => {
      this.host.emit({ kind: 'ice-state', state: this.id === 1 ? state : `${state} (attempt ${this.id})` })
      if (state === 'checking') this.watchPairs()
      if (state === 'connected' || state === 'completed') this.readSelected()
      if (state === 'failed') this.fail(this.iceFailedWhy())
    })
    this.pc.iceGatheringStateChange.subscribe((state) => {
      if (this.id === 1) this.host.emit({ kind: 'gathering', state })
      if (state === 'complete') {
        this.localEnded = true
        this.touched()
        void this.endOfCandidates()
        this.recheckLater()
      }
    })
    this.pc.onDataChannel.subscribe((dc) => this.useChannel(dc))
  }

  /** Extra candidates still being mapped: end-of-candidates waits for them. */
  private readonly extras: Array<Promise<void>> = []
  private readonly extraLines: string[] = []

  /**
   * werift writes every gathered candidate and end-of-candidates into the description, and drops
   * candidates trickled after it: the mapped candidates go into the description too.
   */
  private async describe(sdp: string | undefined): Promise<string | undefined> {
    await Promise.all(this.extras)
    const text = this.withoutExcluded(sdp)
    if (!text || this.extraLines.length === 0) return text
    const lines = text.split('\r\n')
    const last = lines.findLastIndex((l) => l.startsWith('a=candidate:'))
    if (last < 0) return text
    lines.splice(last + 1, 0, ...this.extraLines.map((l) => `a=${l}`))
    return lines.join('\r\n')
  }

  private offerMapped(line: Promise<string | null>, like: { sdpMid?: string; sdpMLineIndex?: number }, servers: Parameters<typeof parseCandidateLine>[2]): void {
    const sent = line
      .then(async (l) => {
        if (!l) return
        const info = parseCandidateLine(l, this.host.now(), servers)
        if (info) {
          info.attempt = this.id
          this.localCandidates.push(info)
          this.host.emit({ kind: 'local-candidate', candidate: info })
        }
        this.touched()
        this.extraLines.push(l)
        await this.host.signal('candidate', { candidate: l, sdpMid: like.sdpMid, sdpMLineIndex: like.sdpMLineIndex })
      })
      .catch(() => {})
    this.extras.push(sent)
  }

  private endSent = false
  private async endOfCandidates(): Promise<void> {
    await Promise.all(this.extras)
    if (this.endSent) return
    this.endSent = true
    await this.host.signal('candidate', null).catch(() => {})
  }

  async offer(): Promise<void> {
    this.useChannel(this.pc.createDataChannel('peerlens', { ordered: true }))
    const offer = await this.pc.createOffer()
    await this.pc.setLocalDescription(offer)
    await this.host.signal('offer', { type: 'offer', sdp: await this.describe(this.pc.localDescription?.sdp) })
  }

  async acceptOffer(sdp: string): Promise<void> {
    await this.setRemote('offer', sdp)
    const answer = await this.pc.createAnswer()
    await this.pc.setLocalDescription(answer)
    await this.host.signal('answer', { type: 'answer', sdp: await this.describe(this.pc.localDescription?.sdp) })
  }

  async acceptAnswer(sdp: string): Promise<void> {
    await this.setRemote('answer', sdp)
  }

  private touched(): void {
    this.lastChangeMs = this.host.now()
  }

  private recheckLater(): void {
    if (this.recheck || this.closed) return
    this.recheck = setTimeout(() => {
      this.recheck = undefined
      this.checkAllFailed()
    }, SETTLE_MS)
  }

  /** werift writes the candidates it gathered into the description too: excluded ones come out there as well. */
  private withoutExcluded(sdp: string | undefined): string | undefined {
    if (!sdp || this.excluded.size === 0) return sdp
    return sdp
      .split('\r\n')
      .filter((line) => {
        if (!line.startsWith('a=candidate:')) return true
        const c = parseCandidateLine(line, 0)
        const base = c && baseAddress(c)
        return !(base && this.excluded.has(base))
      })
      .join('\r\n')
  }

  /**
   * Candidates that arrive before the remote description wait in a queue; none is dropped. Each one is
   * handed to werift on its own, never behind another: a slow one (an mDNS name) delays nothing else.
   */
  async addRemoteCandidate(init: Record<string, unknown> | null): Promise<void> {
    this.touched()
    let info: CandidateInfo | undefined
    if (init === null || init.candidate === '') this.remoteEnded = true
    else if (typeof init.candidate === 'string') info = this.recordRemote(init.candidate)
    if (!this.pc.remoteDescription) {
      this.pending.push({ init, info })
      return
    }
    this.apply(init, info)
  }

  /** Records a remote candidate once (it may come in the description and trickle too). */
  private recordRemote(line: string): CandidateInfo | undefined {
    const info = parseCandidateLine(line, this.host.now())
    if (!info) return undefined
    const known = this.remoteCandidates.find((c) => sameCandidate(c, info))
    if (known) return known
    info.attempt = this.id
    this.remoteCandidates.push(info)
    this.host.emit({ kind: 'remote-candidate', candidate: info })
    return info
  }

  /** Sets the remote description; its own candidates are recorded, its mDNS ones handed over like trickled ones. */
  private async setRemote(type: 'offer' | 'answer', sdp: string): Promise<void> {
    const { sdp: plain, mdns } = withoutMdnsCandidates(sdp)
    await this.pc.setRemoteDescription({ type, sdp: plain })
    const { lines, complete } = sdpCandidates(sdp)
    for (const line of lines) {
      const info = this.recordRemote(line)
      if (mdns.includes(line)) this.apply({ candidate: line, sdpMLineIndex: 0 }, info)
    }
    for (const { init, info } of this.pending.splice(0)) this.apply(init, info)
    // A peer that puts every candidate in its description may never trickle an end marker.
    if (complete) await this.addRemoteCandidate(null)
  }

  /** Resolves once every candidate handed over so far has been taken or refused (tests). */
  async settled(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight])
  }

  private apply(init: Record<string, unknown> | null, info: CandidateInfo | undefined): void {
    const earlier = [...this.inflight]
    const job = (init === null || init.candidate === '' ? this.applyEnd(earlier) : this.applyOne(init, info)).finally(() => this.inflight.delete(job))
    this.inflight.add(job)
  }

  /** The end marker waits for the candidates before it, so werift never concludes without them. */
  private async applyEnd(earlier: Array<Promise<void>>): Promise<void> {
    await Promise.allSettled(earlier)
    await this.pc.addIceCandidate(undefined).catch(() => {})
    this.recheckLater()
  }

  private async applyOne(init: Record<string, unknown>, info: CandidateInfo | undefined): Promise<void> {
    const target = targetFor(init, this.pc.remoteDescription?.sdp ?? '')
    if (info && isMdnsName(info.address)) {
      const address = await resolveMdns(info.address, MDNS_WAIT_MS)
      if (!address) {
        info.refused = `mDNS name not resolved within ${MDNS_WAIT_MS / 1000} s (the other side hid its host address)`
        if (!this.closed) this.host.emit({ kind: 'warning', message: `remote candidate ${info.address} skipped: ${info.refused}` })
        this.touched()
        return
      }
      info.resolved = address
      if (this.closed) return
      target.candidate = withAddress(target.candidate, address)
    }
    try {
      await this.pc.addIceCandidate(target)
    } catch (err) {
      const reason = (err as Error).message
      if (info) info.refused = reason
      this.host.emit({ kind: 'error', message: `remote candidate ${info ? `${info.address}:${info.port} ` : ''}refused: ${reason}` })
    }
  }

  /** werift has no pair-state event: sample the check list, as webrtc-internals samples getStats. */
  private watchPairs(): void {
    if (this.pairTimer || this.closed) return
    const sample = (): void => {
      const nominated = nominatedPair(this.pc)
      const progress = { connected: nominated !== undefined, ended: this.failure !== undefined || this.closed }
      for (const pair of checkList(this.pc)) {
        // Addresses do not name a pair uniquely (the same address can be host and srflx): number them.
        let id = this.pairIds.get(pair)
        if (!id) this.pairIds.set(pair, (id = `${this.id}.${this.pairIds.size + 1}`))
        const snap: Omit<PairInfo, 'history'> = { ...pairSnapshot(pair, nominated), id, attempt: this.id }
        const unchecked = uncheckedWhy(snap, progress)
        if (unchecked) snap.unchecked = unchecked
        const known = this.pairs.get(snap.id)
        if (!known) {
          const info: PairInfo = { ...snap, history: [{ state: snap.state, atMs: this.host.now() }] }
          this.pairs.set(snap.id, info)
          this.host.emit({ kind: 'pair', pair: structuredClone(info) })
          continue
        }
        const changed = known.state !== snap.state || known.nominated !== snap.nominated || known.unchecked !== snap.unchecked
        const history = known.state !== snap.state ? [...known.history, { state: snap.state, atMs: this.host.now() }] : known.history
        Object.assign(known, snap, { history })
        if (changed) this.host.emit({ kind: 'pair', pair: structuredClone(known) })
      }
      this.checkAllFailed()
    }
    sample()
    this.pairTimer = setInterval(sample, 100)
  }

  /**
   * werift concludes "ICE failed" internally but its connection state can stay "checking" for good.
   * Every pair failed, nothing nominated, and both sides said they have no more candidates: that is failure.
   */
  private checkAllFailed(): void {
    if (this.connectedAtMs !== null || this.failure || !this.localEnded) return
    // Candidates and pairs keep arriving for a moment after the end markers: judge only once quiet.
    if (this.host.now() - this.lastChangeMs < SETTLE_MS) {
      this.recheckLater()
      return
    }
    if (this.localCandidates.length === 0) {
      this.fail(this.policy === 'relay' ? 'no relay candidate: the TURN allocation failed (see the server probe)' : 'this side gathered no candidates at all')
      return
    }
    // A candidate still being resolved (an mDNS name) may yet bring a pair.
    if (!this.remoteEnded) return
    if (this.inflight.size) return this.recheckLater()
    const list = checkList(this.pc)
    if (list.length === 0) {
      const refused = refusedSummary(this.remoteCandidates)
      if (this.remoteCandidates.length === 0) this.fail('the other side sent no candidates for this attempt')
      else this.fail(refused ? `no candidate pair could be formed: ${refused}` : 'no candidate pair could be formed (no common address family or transport)')
      return
    }
    if (list.every((p) => pairSnapshot(p).state === 'failed')) {
      const refused = refusedSummary(this.remoteCandidates)
      this.fail(`every ${this.directOnly ? 'direct ' : ''}candidate pair (${list.length}) failed its connectivity checks${this.directOnly ? ' (relay pairs are left to the relay-only attempt)' : ''}${refused ? `; ${refused}` : ''}`)
    }
  }

  /** werift's "ICE failed", in words: no pair at all, or every pair failed; refused remote candidates say why. */
  private iceFailedWhy(): string {
    const refused = refusedSummary(this.remoteCandidates)
    if (checkList(this.pc).length === 0 && refused) return `ICE failed: no candidate pair could be formed: ${refused}`
    return `ICE failed: every candidate pair failed its connectivity checks${refused ? `; ${refused}` : ''}`
  }

  readSelected(): void {
    this.selected = selectedPairOf(this.pc) ?? this.selected
  }

  private useChannel(dc: RTCDataChannel): void {
    this.dc = dc
    dc.stateChanged.subscribe((state) => {
      if (state !== 'open' || this.connectedAtMs !== null) return
      this.connectedAtMs = this.host.now()
      this.readSelected()
      this.host.onChannelOpen(this, dc)
    })
  }

  fail(reason: string): void {
    if (this.failure || this.connectedAtMs !== null || this.closed) return
    this.failure = reason
    this.host.onFailed(this, reason)
  }

  stopSampling(): void {
    if (this.pairTimer) clearInterval(this.pairTimer)
    this.pairTimer = undefined
    if (this.recheck) clearTimeout(this.recheck)
    this.recheck = undefined
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.stopSampling()
    await this.pc.close().catch(() => {})
  }
}
