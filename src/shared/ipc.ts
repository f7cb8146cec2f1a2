// The one IPC contract between the renderer and the main process.
//
// Calls: the renderer sends `{ method, params }` on CALL_CHANNEL (ipcRenderer.invoke) and gets a
// CallResult back; errors travel as `{ ok: false, error }` because Electron mangles thrown errors.
// Events: the main process pushes AppEvent objects on EVENT_CHANNEL (webContents.send).
//
// Every call is validated in the main process with the zod schemas below before anything acts on
// it (see src/main/ipc.ts): unknown methods, extra fields, oversized strings and messages over
// MAX_MESSAGE_BYTES are refused with an error.
import { z } from 'zod'
import type { RunEvent } from './run'
import type { Report } from './report'
import type { SessionResult, Role } from './session'
import type { NatProgress, NatResult } from './nat'
import type { InterfaceAddressInfo } from './net'

export const CALL_CHANNEL = 'peerlens:call'
export const EVENT_CHANNEL = 'peerlens:event'

/** A whole call, serialised, may not exceed this. Manual blobs are the largest legitimate payload (a few KiB). */
export const MAX_MESSAGE_BYTES = 256 * 1024
const MAX_BLOB = 64 * 1024
const MAX_URL = 2048

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'bad id')
const hostName = z.string().min(1).max(255).regex(/^[A-Za-z0-9.:[\]_-]+$/, 'bad host name or address')
const serverUrl = z.string().trim().min(1).max(MAX_URL)
const serverList = z.array(serverUrl).max(16)

export const hostStartParams = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('embedded'),
    host: hostName,
    port: z.number().int().min(0).max(65535),
    publicUrl: z.url({ protocol: /^https?$/ }).max(MAX_URL).optional()
  }),
  z.strictObject({ mode: z.literal('remote'), url: z.url({ protocol: /^https?$/ }).max(MAX_URL) }),
  z.strictObject({ mode: z.literal('manual') })
])

export const settingsPatch = z.strictObject({
  stun: serverList.optional(),
  turn: serverList.optional(),
  turnUser: z.string().max(512).optional(),
  /** A new TURN password; null forgets the stored one. Never sent back to the renderer. */
  turnPassword: z.string().max(512).nullable().optional(),
  lastHost: z.string().max(MAX_URL).optional(),
  excludedInterfaces: z.array(z.string().min(1).max(64)).max(64).optional(),
  natServers: serverList.optional(),
  natOnSession: z.boolean().optional(),
  /** UDP ports the host tests outside WebRTC after connecting (e.g. WireGuard's 51820). */
  portTests: z.array(z.number().int().min(1).max(65535)).max(8).optional()
})

const empty = z.strictObject({})
const reportFormat = z.enum(['json', 'html', 'markdown'])

/** Params schema of every method. A method not listed here does not exist. */
export const callSchemas = {
  'app.info': empty,
  'host.start': hostStartParams,
  'join.start': z.strictObject({ target: z.string().trim().min(1).max(MAX_BLOB) }),
  'manual.answer': z.strictObject({ sessionId: id, blob: z.string().trim().min(1).max(MAX_BLOB) }),
  'session.cancel': z.strictObject({ sessionId: id }),
  'nat.check': empty,
  'report.formats': empty,
  'report.render': z.strictObject({ reportId: id, format: reportFormat, redact: z.boolean().optional() }),
  'report.save': z.strictObject({ reportId: id, format: reportFormat, redact: z.boolean().optional() }),
  'report.open': empty,
  'clipboard.write': z.strictObject({ text: z.string().max(MAX_MESSAGE_BYTES / 2) }),
  'settings.get': empty,
  'settings.set': settingsPatch,
  'net.interfaces': empty
} as const

export type Method = keyof typeof callSchemas
export type Params<M extends Method> = z.infer<(typeof callSchemas)[M]>
export type ReportFormat = z.infer<typeof reportFormat>
export type HostStartParams = z.infer<typeof hostStartParams>
export type SettingsPatch = z.infer<typeof settingsPatch>

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
