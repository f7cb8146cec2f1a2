import type { SessionEvent } from './session'
import type { InterfaceAddressInfo } from './net'
import type { ServerProbe } from './report'

/** What a host or join run reports besides the session's own events. */
export type RunEvent =
  | SessionEvent
  | { kind: 'invite'; atMs: number; url: string }
  | { kind: 'address'; atMs: number; address: InterfaceAddressInfo; url: string }
  | { kind: 'waiting'; atMs: number; detail: string }
  | { kind: 'joined'; atMs: number; room: string }
  | { kind: 'blob'; atMs: number; which: 'offer' | 'answer'; blob: string }
  | { kind: 'servers'; atMs: number; probes: ServerProbe[] }
