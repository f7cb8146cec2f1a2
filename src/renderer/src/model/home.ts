// Parsing what the user types on the Home screen, before anything reaches the main process.
import type { HostStartParams } from '../../../shared/ipc'

export type HostChoice = 'embedded' | 'remote' | 'manual'

/** "HOST:PORT", "[v6]:PORT" or ":PORT" (any address) into the embedded server's listen address. */
export function parseListen(text: string): { host: string; port: number } | string {
  const t = text.trim()
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]*)):(\d{1,5})$/.exec(t)
  if (!m) return 'listen address must be HOST:PORT, e.g. 0.0.0.0:8080 (port 0 picks a free one)'
  const port = Number(m[3])
  if (port > 65535) return 'port must be 0-65535'
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port }
}

export function hostParams(choice: HostChoice, listen: string, signalUrl: string): HostStartParams | string {
  if (choice === 'manual') return { mode: 'manual' }
  if (choice === 'remote') {
    const url = signalUrl.trim()
    if (!/^https?:\/\/[^\s]+$/.test(url)) return 'the signaling server must be an http:// or https:// address'
    return { mode: 'remote', url }
  }
  const parsed = parseListen(listen)
  return typeof parsed === 'string' ? parsed : { mode: 'embedded', ...parsed }
}

/** An invite or an offer blob, cleaned of what pasting from chats adds (quotes, spaces, line breaks). */
export function cleanTarget(text: string): string {
  const t = text.trim().replace(/^['"<]+|['">]+$/g, '')
  return t.startsWith('PL1:') ? t.replace(/\s+/g, '') : t
}

/** What was pasted; `no-secret`: an invite that lost the part after # (chats and mail clients cut it). */
export function targetKind(text: string): 'invite' | 'blob' | 'empty' | 'no-secret' | 'unknown' {
  const t = cleanTarget(text)
  if (!t) return 'empty'
  if (t.startsWith('PL1:')) return 'blob'
  if (/^https?:\/\/\S+\/join\/[A-Za-z0-9_-]+\/?#\S+$/.test(t)) return 'invite'
  if (/^https?:\/\/\S+\/join\/[A-Za-z0-9_-]+\/?#?$/.test(t)) return 'no-secret'
  return 'unknown'
}

/** The invite with its host swapped for one of this machine's addresses (per-interface list). */
export function inviteFor(invite: string, baseUrl: string): string {
  try {
    const i = new URL(invite)
    const b = new URL(baseUrl)
    i.protocol = b.protocol
    i.host = b.host
    return i.href
  } catch {
    return invite
  }
}
