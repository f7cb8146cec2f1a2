// The settings' server lists checked at save time with the CLI's own rules and words
// (normalizeIceUrl for STUN/TURN, the NAT discovery's server parser), so a bad URL is refused when
// it is typed, not later on Home.
import { normalizeIceUrl } from '../core/peer/iceConfig'
import { serverSpec } from '../core/nat/resolve'
import { SERVER_FIELDS, type ServerField, type SettingsPatch } from '../shared/ipc'

const CHECKS: Record<ServerField, (text: string) => unknown> = {
  stun: (t) => normalizeIceUrl('stun', t),
  turn: (t) => normalizeIceUrl('turn', t),
  natServers: (t) => serverSpec(t)
}

/** "STUN servers: bad stun server address …; NAT servers: …", or '' when every listed server is usable. */
export function serverProblems(patch: SettingsPatch): string {
  const problems: string[] = []
  for (const field of Object.keys(CHECKS) as ServerField[]) {
    for (const text of patch[field] ?? []) {
      try {
        CHECKS[field](text)
      } catch (err) {
        problems.push(`${SERVER_FIELDS[field]}: ${(err as Error).message}`)
        break
      }
    }
  }
  return problems.join('; ')
}
