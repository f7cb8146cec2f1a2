// The one IPC contract between the renderer and the main process: plain types and constants only,
// so the preload (a sandboxed bridge) bundles to a few lines.
//
// Calls: the renderer sends `{ method, params }` on CALL_CHANNEL (ipcRenderer.invoke) and gets a
// CallResult back; errors travel as `{ ok: false, error }` because Electron mangles thrown errors.
// Events: the main process pushes AppEvent objects on EVENT_CHANNEL (webContents.send).
//
// Every call is validated in the main process (src/main/ipcSchemas.ts, src/main/ipc.ts) before
// anything acts on it: unknown methods, extra fields, oversized strings and messages over
// MAX_MESSAGE_BYTES are refused with an error. The schemas there are checked against these types.
import type { RunEvent } from './run'
import type { Report } from './report'
import type { SessionResult, Role } from './session'
import type { NatProgress, NatResult } from './nat'
import type { InterfaceAddressInfo } from './net'
import type { Matrix } from './mesh/matrix'
import type { MatrixChange } from './mesh/changes'

export { MAX_MESSAGE_BYTES } from './limits'

export const CALL_CHANNEL = 'peerlens:call'
export const EVENT_CHANNEL = 'peerlens:event'

export type ReportFormat = 'json' | 'html' | 'markdown'

export type HostStartParams =
  | { mode: 'embedded'; host: string; port: number; publicUrl?: string }
  | { mode: 'remote'; url: string }
  | { mode: 'manual' }

export interface SettingsPatch {
  stun?: string[]
  turn?: string[]
  turnUser?: string
  /** A new TURN password; null forgets the stored one. Never sent back to the renderer. */
  turnPassword?: string | null
  lastHost?: string
  excludedInterfaces?: string[]
  natServers?: string[]
  natOnSession?: boolean
  /** UDP ports the host tests outside WebRTC after connecting (e.g. WireGuard's 51820). */
  portTests?: number[]
  /** Keep VPN-like interfaces (wt0, wg0, 100.64.0.0/10...) in ICE; by default they are left out. */
  includeVpn?: boolean
  /** Contact no third party (no public STUN servers). */
  offline?: boolean
  /** Ask the gateway for a UDP mapping of the ICE port (UPnP IGD, NAT-PMP, PCP) during sessions. */
  portMapping?: boolean
  /** Measure throughput and the UDP rate after connecting (off: on a metered or slow link; the report says it was off). */
  throughput?: boolean
  /** At most this many MB each way per path; null: the engine's default. */
  throughputMb?: number | null
}

type Empty = Record<string, never>
type RenderParams = { reportId: string; format: ReportFormat; redact?: boolean }

/** The params of every method. A method not listed here does not exist. */
export interface CallParams {
  'app.info': Empty
  'host.start': HostStartParams
  'join.start': { target: string }
  'manual.answer': { sessionId: string; blob: string }
  'session.cancel': { sessionId: string }
  'nat.check': Empty
  'report.formats': Empty
  'report.render': RenderParams
  'report.save': RenderParams
  'report.open': Empty
  'clipboard.write': { text: string }
  'settings.get': Empty
  'settings.set': SettingsPatch
  'net.interfaces': Empty
  'history.list': Empty
  'history.open': { id: string }
  'history.remove': { id: string }
  'mesh.matrix': MeshParams
}

export type Method = keyof CallParams
export type Params<M extends Method> = CallParams[M]

/** The settings both processes know in full (the TURN password is the main process's alone). */
export interface SettingsFields {
  stun: string[]
  turn: string[]
  turnUser: string
  lastHost: string
  excludedInterfaces: string[]
  natServers: string[]
  natOnSession: boolean
  portTests: number[]
  /** Keep VPN-like interfaces in ICE (off: the session tests the underlay). */
  includeVpn: boolean
  /** Contact no third party: without STUN servers, only the signaling server's own responder. */
  offline: boolean
  /** Map the ICE port on the gateway during sessions; off by default, since it changes the router. */
  portMapping: boolean
  /** Measure throughput and the UDP rate after connecting (hosting: the host drives the measurement). */
  throughput: boolean
  /** At most this many MB each way per path; null: the engine's default. */
  throughputMb: number | null
}

/** What the renderer may see of the settings: the TURN password only as "one is stored". */
export interface SettingsView extends SettingsFields {
  turnPasswordSet: boolean
  /** False where the OS offers no keyring: the password is then kept for this run only, never written. */
  passwordStorable: boolean
  /** When not storable, why (e.g. Linux without a secret service): Settings shows it. */
  passwordNotStoredWhy?: string
}

export interface AppInfo {
  name: string
  version: string
  platform: string
}

export interface OpenedReport {
  reportId: string
  path: string
  report: Report
}

export interface Results {
  'app.info': AppInfo
  'host.start': { sessionId: string }
  'join.start': { sessionId: string }
  'manual.answer': null
  'session.cancel': null
  'nat.check': NatResult
  'report.formats': ReportFormat[]
  'report.render': string
  /** The file written, or null when the user cancelled the dialog. */
  'report.save': { path: string } | null
  'report.open': OpenedReport | null
  'clipboard.write': null
  'settings.get': SettingsView
  'settings.set': SettingsView
  'net.interfaces': InterfaceAddressInfo[]
  'history.list': HistoryList
  /** The stored report, loaded like a file (a damaged one is a one-line error). */
  'history.open': OpenedReport
  'history.remove': HistoryList
  'mesh.matrix': MeshView
}

/** Which group's matrix to read: the group secret only keys the request, it is never sent back or stored. */
export interface MeshParams {
  signal: string
  group: string
  secret: string
}

/** A group's matrix as the app read it, with the changes seen since the app first read it (newest first). */
export interface MeshView {
  signal: string
  group: string
  readAt: string
  matrix: Matrix
  changes: MatrixChange[]
}

/** One past session in the app's history (src/main/history.ts): enough to list it without its report. */
export interface HistoryEntry {
  id: string
  /** When the report was written (ISO). */
  createdAt: string
  role: Role
  verdict: string
  reason: string
  /** The other side's name, or "the other side" when its half is missing. */
  peer: string
  /** This side's networks: "eth0 192.168.1.20", "public 203.0.113.5" (at most a few). */
  networks: string[]
  /** How a host session was started, to host again the same way (never an invite or its secret). */
  again?: HostStartParams
}

export interface HistoryList {
  entries: HistoryEntry[]
  /** Set when the index was damaged and was started afresh (one line). */
  problem?: string
}

/** How many past sessions the app keeps, and how large a report it stores. */
export const HISTORY_LIMITS = { entries: 50, reportBytes: 4 * 1024 * 1024, totalBytes: 64 * 1024 * 1024 } as const

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: string }

export type ErrorCode = 'bad-input' | 'no-reply' | 'cancelled' | 'internal'

export type SessionEnd =
  | { ok: true; reportId: string; report: Report; result: SessionResult }
  | { ok: false; code: ErrorCode; error: string }

/** Everything the main process pushes to the renderer. */
export type AppEvent =
  | { type: 'run'; sessionId: string; role: Role; event: RunEvent }
  | { type: 'session-end'; sessionId: string; role: Role; end: SessionEnd }
  | { type: 'nat-progress'; checkId: string; progress: NatProgress }
  | { type: 'nat-result'; checkId: string; result: NatResult }
  | { type: 'nat-error'; checkId: string; error: string }
  | { type: 'menu'; action: MenuAction }

export type MenuAction = 'home' | 'open-report' | 'export' | 'settings' | 'check-nat'

/** The bridge the preload exposes as `window.peerlens` (and the e2e test injects). */
export interface PeerlensBridge {
  call<M extends Method>(method: M, params: Params<M>): Promise<Results[M]>
  onEvent(listener: (event: AppEvent) => void): () => void
}

/** How long the app's sessions wait (for a joiner, for the other side) before giving up. */
export const APP_SESSION_TIMEOUT_MS = 600_000

/**
 * The server lists settings.set checks, and the names its one-line error gives them: "STUN servers:
 * bad stun server address "x": expected HOST:PORT; NAT servers: …" (the CLI's words after the name).
 */
export const SERVER_FIELDS = { stun: 'STUN servers', turn: 'TURN servers', natServers: 'NAT servers' } as const
export type ServerField = keyof typeof SERVER_FIELDS

/** Splits settings.set's error back into the fields it names; what names no field stays under ''. */
export function fieldErrors(error: string): Partial<Record<ServerField | '', string>> {
  const out: Partial<Record<ServerField | '', string>> = {}
  for (const part of error.split(/;\s(?=(?:STUN|TURN|NAT) servers: )/)) {
    const field = (Object.keys(SERVER_FIELDS) as ServerField[]).find((f) => part.startsWith(`${SERVER_FIELDS[f]}: `))
    if (field) out[field] = part.slice(SERVER_FIELDS[field].length + 2)
    else out[''] = part
  }
  return out
}
