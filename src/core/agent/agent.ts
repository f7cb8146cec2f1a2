// `peerlens agent`: one member of a group. It registers in the group directory of a signaling
// server, tests every pair it belongs to with the session engine (the agent with the smaller name
// hosts and hands the invite over through the other's inbox), on start, every interval, when a
// peer appears and when the network changes; keeps history, tells flips, publishes its results.
import { runHost } from '../run/host'
import { runJoin } from '../run/join'
import type { RunSettings } from '../run/runSession'
import { GroupClient, groupKey, type GroupMember } from '../signaling/groupClient'
import { SignalClientError } from '../signaling/client'
import { parseInvite } from '../signaling/invite'
import { pairRecord, published, type PairRecord, type Trigger } from '../../shared/mesh/record'
import { detectFlip, type Flip } from '../../shared/mesh/flips'
import type { History } from './history'
import { watchNetwork, type NetworkState } from './netwatch'
import { pushFlip, type AgentLoki } from './loki'
import { pushToLoki } from '../report/loki'
import type { Report } from '../../shared/report'
import type { PublishedResults } from '../../shared/mesh/matrix'
import type { AgentMetricsState } from '../metrics/agent'
import { sleep } from '../../shared/timers'

export type AgentEvent =
  | { event: 'registered'; members: string[]; ttl: number }
  | { event: 'members'; members: string[] }
  | { event: 'testing'; peer: string; role: 'host' | 'join'; trigger: Trigger }
  | { event: 'pair'; record: PairRecord }
  | { event: 'flip'; flip: Flip }
  | { event: 'network'; changes: string[] }
  | { event: 'warning'; message: string }

export interface AgentOptions {
  signal: string
  group: string
  secret: string
  name: string
  intervalMs: number
  timeoutMs: number
  /** ICE and session settings of every test (throughput off by default for agents). */
  session: Omit<RunSettings, 'emit' | 'signal' | 'timeoutMs'>
  history?: History
  loki?: AgentLoki
  emit: (e: AgentEvent) => void
  /** How often the network is compared (default 3 s), and how it is read (tests). */
  netPollMs?: number
  readNetwork?: () => NetworkState
  /** Seconds an inbox poll waits (default 25). */
  waitSeconds?: number
}

/** A refusal at start: the group secret is wrong (401) or the server refused otherwise. */
export class AgentStartError extends Error {
  constructor(
    message: string,
    readonly unreachable: boolean
  ) {
    super(message)
    this.name = 'AgentStartError'
  }
}

export class Agent {
  readonly client: GroupClient
  readonly metrics: AgentMetricsState = { latest: new Map(), pathChanges: new Map(), members: 0, tests: { ok: 0, failed: 0 } }
  private members: string[] = []
  private readonly queue = new Map<string, Trigger>()
  private working = false
  private readonly stop = new AbortController()
  private readonly timers: Array<() => void> = []
  private heartbeatMs = 20_000
  private joining = 0

  constructor(private readonly o: AgentOptions) {
    this.client = new GroupClient(o.signal, o.group, groupKey(o.group, o.secret))
    for (const [peer, r] of o.history?.latest() ?? []) this.metrics.latest.set(peer, r)
  }

  /** Registers (throwing AgentStartError when refused), then runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let first
    try {
      first = await this.client.register(this.o.name, this.results())
    } catch (err) {
      const e = err as SignalClientError
      if (e.status === 401) throw new AgentStartError(`wrong group secret for group ${this.o.group} (another agent registered it with another secret)`, false)
      if (e.status === 0) throw new AgentStartError(e.message, true)
      throw new AgentStartError(`the signaling server refused to register: ${e.message}`, false)
    }
    this.heartbeatMs = Math.max(1000, (first.ttl * 1000) / 3)
    this.o.emit({ event: 'registered', members: first.members.map((m) => m.name), ttl: first.ttl })
    this.setMembers(first.members, 'start', true)
    // On start, ask the agents that host us to test now.
    for (const m of this.members) if (m < this.o.name) void this.ask(m, 'start')

    const every = setInterval(() => {
      for (const m of this.members) if (m > this.o.name) this.schedule(m, 'interval')
    }, this.o.intervalMs)
    every.unref()
    this.timers.push(() => clearInterval(every))
    this.timers.push(
      watchNetwork(this.o.netPollMs ?? 3000, (changes) => {
        this.o.emit({ event: 'network', changes })
        for (const m of this.members) {
          if (m > this.o.name) this.schedule(m, 'network')
          else void this.ask(m, 'network')
        }
      }, this.o.readNetwork)
    )
    const stopped = new Promise<void>((resolve) => {
      if (signal.aborted) resolve()
      signal.addEventListener('abort', () => resolve(), { once: true })
    })
    const loops = [this.heartbeat(), this.inbox()]
    await stopped
    this.stop.abort()
    for (const t of this.timers) t()
    await Promise.allSettled(loops)
    await this.client.leave(this.o.name).catch(() => {})
  }

  private results(): PublishedResults {
    const pairs: PublishedResults['pairs'] = {}
    for (const [peer, r] of this.metrics.latest) pairs[peer] = published(r)
    return { pairs }
  }

  private setMembers(list: GroupMember[], trigger: Trigger, first = false): void {
    const names = list.map((m) => m.name).filter((n) => n !== this.o.name)
    const added = names.filter((n) => !this.members.includes(n))
    const changed = added.length > 0 || names.length !== this.members.length
    this.members = names
    this.metrics.members = names.length + 1
    if (changed && !first) this.o.emit({ event: 'members', members: [this.o.name, ...names].sort() })
    for (const m of added) if (m > this.o.name) this.schedule(m, first ? trigger : 'peer')
  }

  private async heartbeat(): Promise<void> {
    while (!this.stop.signal.aborted) {
      await sleep(this.heartbeatMs, this.stop.signal)
      if (this.stop.signal.aborted) return
      await this.publish()
    }
  }

  private async publish(): Promise<void> {
    try {
      const { members } = await this.client.register(this.o.name, this.results())
      this.setMembers(members, 'peer')
    } catch (err) {
      this.warn(`cannot register in group ${this.o.group}: ${(err as Error).message}`)
    }
  }

  private async inbox(): Promise<void> {
    let after = 0
    while (!this.stop.signal.aborted) {
      try {
        const { messages, next } = await this.client.receive(this.o.name, after, this.o.waitSeconds ?? 25, this.stop.signal)
        after = next
        for (const m of messages) void this.handle(m.from, m.type, m.data)
      } catch (err) {
        if (this.stop.signal.aborted) return
        const e = err as SignalClientError
        // Dropped from the directory (expired while the server was away): register again.
        if (e.status === 404) {
          after = 0
          await this.publish()
        } else this.warn(`cannot read the inbox: ${e.message}`)
        await sleep(1000, this.stop.signal)
      }
    }
  }

  private async handle(from: string, type: string, data: unknown): Promise<void> {
    const d = (data ?? {}) as { url?: unknown; trigger?: unknown }
    const trigger = isTrigger(d.trigger) ? d.trigger : 'retest'
    if (type === 'invite' && typeof d.url === 'string') {
      // Only rooms on our own signaling server, and a few tests at once: a member cannot send us elsewhere or flood us.
      if (!sameServer(d.url, this.o.signal)) return this.warn(`ignored an invite from ${from} to another server`)
      if (this.joining >= MAX_JOINS) return this.warn(`ignored an invite from ${from}: ${MAX_JOINS} tests already running`)
      this.joining++
      return this.joinTest(from, d.url, trigger).finally(() => this.joining--)
    }
    if (type !== 'retest' || !(from > this.o.name)) return
    // A member that registered since our last look: look again.
    if (!this.members.includes(from)) await this.publish()
    if (this.members.includes(from)) this.schedule(from, trigger === 'start' ? 'retest' : trigger)
  }

  /** Asks `peer` (who hosts our pair) to test now. */
  private async ask(peer: string, trigger: Trigger): Promise<void> {
    await this.client.send(peer, this.o.name, 'retest', { trigger }).catch((err: Error) => this.warn(`cannot ask ${peer} for a test: ${err.message}`))
  }

  private schedule(peer: string, trigger: Trigger): void {
    if (!this.queue.has(peer)) this.queue.set(peer, trigger)
    if (!this.working) void this.work()
  }

  private async work(): Promise<void> {
    this.working = true
    try {
      while (this.queue.size && !this.stop.signal.aborted) {
        const [peer, trigger] = this.queue.entries().next().value as [string, Trigger]
        this.queue.delete(peer)
        if (this.members.includes(peer)) await this.hostTest(peer, trigger)
      }
    } finally {
      this.working = false
    }
  }

  private async hostTest(peer: string, trigger: Trigger): Promise<void> {
    this.o.emit({ event: 'testing', peer, role: 'host', trigger })
    const ac = new AbortController()
    const signal = AbortSignal.any([ac.signal, this.stop.signal])
    let joined = false
    try {
      const outcome = await runHost({
        ...this.o.session,
        mode: { kind: 'remote', url: this.o.signal },
        name: this.o.name,
        timeoutMs: this.o.timeoutMs,
        signal,
        emit: (e) => {
          if (e.kind === 'invite') {
            this.client.send(peer, this.o.name, 'invite', { url: e.url, trigger }).catch((err: Error) => {
              this.warn(`cannot hand the invite to ${peer}: ${err.message}`)
              ac.abort()
            })
          }
          if (e.kind === 'peer-hello') joined = true
        }
      })
      if (!joined) {
        if (!this.stop.signal.aborted) this.warn(`${peer} did not join the test (${outcome.report.connection.reason})`)
        this.metrics.tests.failed++
        return
      }
      this.record(pairRecord(outcome.report, { self: this.o.name, peer, role: 'host', trigger }))
      this.timeline(outcome.report)
    } catch (err) {
      this.metrics.tests.failed++
      if (!this.stop.signal.aborted) this.warn(`test with ${peer} did not run: ${(err as Error).message}`)
    }
  }

  private async joinTest(peer: string, url: string, trigger: Trigger): Promise<void> {
    this.o.emit({ event: 'testing', peer, role: 'join', trigger })
    try {
      const outcome = await runJoin({ ...this.o.session, target: url, name: this.o.name, timeoutMs: this.o.timeoutMs, signal: this.stop.signal, emit: () => {} })
      this.record(pairRecord(outcome.report, { self: this.o.name, peer, role: 'join', trigger }))
    } catch (err) {
      this.metrics.tests.failed++
      if (!this.stop.signal.aborted) this.warn(`test with ${peer} did not run: ${(err as Error).message}`)
    }
  }

  private record(r: PairRecord): void {
    if (this.stop.signal.aborted) return
    this.metrics.tests.ok++
    const flip = detectFlip(this.metrics.latest.get(r.peer), r)
    this.metrics.latest.set(r.peer, r)
    this.o.history?.append(r)
    this.o.emit({ event: 'pair', record: r })
    if (flip) {
      this.metrics.pathChanges.set(r.peer, (this.metrics.pathChanges.get(r.peer) ?? 0) + 1)
      this.o.history?.append(flip)
      this.o.emit({ event: 'flip', flip })
      if (this.o.loki) pushFlip(flip, this.o.group, this.o.loki).catch((err: Error) => this.warn(`cannot push the flip to Loki: ${err.message}`))
    }
    void this.publish()
  }

  /** The session's timeline (both sides, from the host's report) to Loki, as `peerlens show --loki` sends it. */
  private timeline(report: Report): void {
    if (!this.o.loki || this.stop.signal.aborted) return
    pushToLoki(report, { ...this.o.loki }).catch((err: Error) => this.warn(`cannot push the session timeline to Loki: ${err.message}`))
  }

  private warn(message: string): void {
    this.o.emit({ event: 'warning', message })
  }
}

const MAX_JOINS = 4

function sameServer(invite: string, signal: string): boolean {
  try {
    const server = new URL(parseInvite(invite).server)
    const base = new URL(signal)
    return server.origin === base.origin && server.pathname.replace(/\/*$/, '/') === base.pathname.replace(/\/*$/, '/')
  } catch {
    return false
  }
}

const TRIGGERS: Trigger[] = ['start', 'interval', 'network', 'peer', 'retest']
const isTrigger = (t: unknown): t is Trigger => TRIGGERS.includes(t as Trigger)

