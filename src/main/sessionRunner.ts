// Runs host and join sessions and NAT checks for the window, through the core's public functions,
// and pushes what they report to the renderer as AppEvents. No Electron import: the e2e test
// drives this same class behind a browser.
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { RunOutcome } from '../core/run/runSession'
import type { HostMode, HostOptions } from '../core/run/host'
import type { JoinPageAssets } from '../core/signaling/joinPage'
import type { JoinOptions } from '../core/run/join'
import type { DiscoverNatOptions } from '../core/nat/discover'
import { normalizeIceUrl, type IceOptions } from '../core/peer/iceConfig'
import { APP_SESSION_TIMEOUT_MS, type AppEvent, type ErrorCode, type HostStartParams } from '../shared/ipc'
import type { NatResult } from '../shared/nat'
import type { Report } from '../shared/report'
import type { Role } from '../shared/session'
import type { Settings } from './settings'
import { oneLine } from './ipc'

export interface Engine {
  runHost(o: HostOptions): Promise<RunOutcome>
  runJoin(o: JoinOptions): Promise<RunOutcome>
  discoverNat(o: DiscoverNatOptions): Promise<NatResult>
  /** Public RFC 5780 servers asked when the user named none. */
  defaultNatServers: readonly string[]
}

export interface SessionsOptions {
  engine: Engine
  send: (event: AppEvent) => void
  settings: () => Settings
  /** Remembers the host address the user used last. */
  rememberHost: (lastHost: string) => void | Promise<void>
  timeoutMs?: number
  name?: string
  /** The join page's built files, for the embedded signaling server (index.ts reads out/joinpage). */
  joinPage?: JoinPageAssets
  /** Keeps each finished session's report (src/main/history.ts); awaited before the session-end is sent. */
  history?: { add(report: Report, again?: HostStartParams): Promise<unknown> }
}

interface Running {
  id: string
  role: Role
  abort: AbortController
  /** The session-end was sent (a cancel says so at once; the engine's late result is then dropped). */
  ended?: boolean
  answer?: { resolve: (blob: string) => void; reject: (err: Error) => void }
  /** How a host session started, kept with its history entry to host again the same way. */
  again?: HostStartParams
}

/** Reports kept in memory for saving and rendering; the oldest go first. */
export class ReportStore {
  private readonly reports = new Map<string, Report>()
  constructor(private readonly limit = 20) {}

  add(report: Report): string {
    const id = newId()
    this.reports.set(id, report)
    while (this.reports.size > this.limit) this.reports.delete(this.reports.keys().next().value!)
    return id
  }

  get(id: string): Report {
    const report = this.reports.get(id)
    if (!report) throw new Error('that report is no longer open: run the session again or open the file')
    return report
  }
}

export function newId(): string {
  return randomBytes(8).toString('hex')
}

/** IceOptions from the settings, each URL normalised (a bad one is the user's error, said plainly). */
export function iceFromSettings(s: Settings): IceOptions {
  return {
    stun: s.stun.map((u) => normalizeIceUrl('stun', u)),
    turn: s.turn.map((u) => normalizeIceUrl('turn', u)),
    ...(s.turnUser ? { turnUser: s.turnUser } : {}),
    ...(s.turnPassword ? { turnPass: s.turnPassword } : {})
  }
}

export function errorCode(err: unknown): ErrorCode {
  const name = (err as Error | undefined)?.name
  if (name === 'BadInputError' || name === 'IceUrlError' || name === 'NatInputError') return 'bad-input'
  if (name === 'NoReplyError') return 'no-reply'
  if (name === 'AbortError') return 'cancelled'
  return 'internal'
}

export class Sessions {
  readonly reports = new ReportStore()
  private current: Running | undefined

  constructor(private readonly o: SessionsOptions) {}

  get running(): boolean {
    return this.current !== undefined
  }

  startHost(params: HostStartParams): { sessionId: string } {
    const run = this.begin('host')
    run.again = params
    const ice = this.ice()
    let mode: HostMode
    if (params.mode === 'manual') {
      mode = {
        kind: 'manual',
        readAnswer: () =>
          new Promise<string>((resolve, reject) => {
            run.answer = { resolve, reject }
            run.abort.signal.addEventListener('abort', () => reject(abortError()))
          })
      }
    } else if (params.mode === 'remote') {
      mode = { kind: 'remote', url: params.url }
      void this.o.rememberHost(params.url)
    } else {
      mode = { kind: 'embedded', host: params.host, port: params.port, joinPage: this.o.joinPage, ...(params.publicUrl ? { publicUrl: params.publicUrl } : {}) }
      void this.o.rememberHost(`${params.host.includes(':') && !params.host.startsWith('[') ? `[${params.host}]` : params.host}:${params.port}`)
    }
    this.track(run, () => this.o.engine.runHost({ mode, ice, ...this.extras(), timeoutMs: this.timeout(), name: this.o.name ?? hostname(), emit: (event) => this.emit(run, event), signal: run.abort.signal }))
    return { sessionId: run.id }
  }

  startJoin(target: string): { sessionId: string } {
    const run = this.begin('join')
    const ice = this.ice()
    this.track(run, () => this.o.engine.runJoin({ target, ice, ...this.extras(), timeoutMs: this.timeout(), name: this.o.name ?? hostname(), emit: (event) => this.emit(run, event), signal: run.abort.signal }))
    return { sessionId: run.id }
  }

  /** The joiner's answer blob, pasted into a manual host. */
  answer(sessionId: string, blob: string): void {
    const run = this.find(sessionId)
    if (!run.answer) throw new Error('this session is not waiting for an answer blob')
    run.answer.resolve(blob)
    run.answer = undefined
  }

  cancel(sessionId: string): void {
    // Cancelling a session that already ended is not an error: the user clicked as it finished.
    const run = this.current
    if (run?.id !== sessionId || run.ended) return
    run.abort.abort()
    // Said at once: the engine may take seconds to close down and would then report an
    // "interrupted" failure, which is not what the user did.
    run.ended = true
    this.o.send({ type: 'session-end', sessionId: run.id, role: run.role, end: { ok: false, code: 'cancelled', error: 'cancelled' } })
  }

  /** NAT discovery on its own ("Check my NAT") or beside a session; progress is pushed as events. */
  async checkNat(checkId = newId()): Promise<NatResult> {
    const s = this.o.settings()
    const stun = s.natServers.length ? s.natServers : [...this.o.engine.defaultNatServers]
    try {
      const result = await this.o.engine.discoverNat({ stun, onProgress: (progress) => this.o.send({ type: 'nat-progress', checkId, progress }) })
      this.o.send({ type: 'nat-result', checkId, result })
      return result
    } catch (err) {
      this.o.send({ type: 'nat-error', checkId, error: oneLine(err) })
      throw err
    }
  }

  private begin(role: Role): Running {
    // A cancelled session still closing down does not block the next one.
    if (this.current && !this.current.ended) throw new Error('a session is already running: cancel it first')
    const run: Running = { id: newId(), role, abort: new AbortController() }
    this.current = run
    return run
  }

  private ice(): IceOptions {
    try {
      return iceFromSettings(this.o.settings())
    } catch (err) {
      this.current = undefined
      throw err
    }
  }

  /** NAT discovery inside the session (the core exchanges it and predicts), the interfaces left out, the UDP port tests. */
  private extras(): { nat: boolean; exclude?: { interfaces: string[] }; portTests?: number[]; includeVpn: boolean; offline: boolean; portMapping?: boolean; extraNatServers?: string[]; throughputBytes?: number; throughputOff?: string } {
    const s = this.o.settings()
    return {
      nat: s.natOnSession,
      // The RFC 5780 servers of "Check my NAT": session NAT discovery asks them too.
      ...(s.natServers.length ? { extraNatServers: s.natServers } : {}),
      includeVpn: s.includeVpn,
      offline: s.offline,
      ...(s.portMapping ? { portMapping: true } : {}),
      ...throughputBudget(s),
      ...(s.excludedInterfaces.length ? { exclude: { interfaces: s.excludedInterfaces } } : {}),
      // The host names the ports; the joiner learns them from the host.
      ...(s.portTests.length ? { portTests: s.portTests } : {})
    }
  }

  private timeout(): number {
    return this.o.timeoutMs ?? APP_SESSION_TIMEOUT_MS
  }

  private find(sessionId: string): Running {
    if (this.current?.id !== sessionId) throw new Error('no such session running')
    return this.current
  }

  private emit(run: Running, event: Parameters<HostOptions['emit']>[0]): void {
    this.o.send({ type: 'run', sessionId: run.id, role: run.role, event })
  }

  private track(run: Running, start: () => Promise<RunOutcome>): void {
    start().then(
      async (outcome) => {
        if (run.ended) return
        // Kept before the end is said, so the Home list the renderer asks for next holds it; a full
        // disk costs the history entry, never the session.
        await this.o.history?.add(outcome.report, run.again).catch((err: unknown) => console.warn(`peerlens: history: ${oneLine(err)}`))
        if (run.ended) return
        const reportId = this.reports.add(outcome.report)
        this.o.send({ type: 'session-end', sessionId: run.id, role: run.role, end: { ok: true, reportId, report: outcome.report, result: outcome.result } })
      },
      (err: unknown) => {
        if (run.ended) return
        const code = run.abort.signal.aborted ? 'cancelled' : errorCode(err)
        this.o.send({ type: 'session-end', sessionId: run.id, role: run.role, end: { ok: false, code, error: code === 'cancelled' ? 'cancelled' : oneLine(err) } })
      }
    ).finally(() => {
      if (this.current === run) this.current = undefined
    })
  }
}

/** Settings' throughput switch and cap as the engine's budget: off is 0 bytes, said as "turned off in Settings" in the report. */
export function throughputBudget(s: Pick<Settings, 'throughput' | 'throughputMb'>): { throughputBytes?: number; throughputOff?: string } {
  if (!s.throughput) return { throughputBytes: 0, throughputOff: THROUGHPUT_OFF_IN_SETTINGS }
  return s.throughputMb ? { throughputBytes: Math.round(s.throughputMb * 1024 * 1024) } : {}
}

export const THROUGHPUT_OFF_IN_SETTINGS = 'turned off in Settings (a metered or slow link)'

function abortError(): Error {
  const err = new Error('cancelled')
  err.name = 'AbortError'
  return err
}
