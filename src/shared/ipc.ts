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
}

export type Method = keyof CallParams
export type Params<M extends Method> = CallParams[M]

/** What the renderer may see of the settings: the TURN password only as "one is stored". */
export interface SettingsView {
  stun: string[]
  turn: string[]
  turnUser: string
  turnPasswordSet: boolean
  /** False where the OS offers no keyring: the password is then kept for this run only, never written. */
  passwordStorable: boolean
  lastHost: string
  excludedInterfaces: string[]
  natServers: string[]
  natOnSession: boolean
  portTests: number[]
  includeVpn: boolean
  offline: boolean
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
}

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
