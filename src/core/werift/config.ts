import type { RTCPeerConnectionConfig } from 'werift'
import type { IceOptions } from '../peer/iceConfig'

/** The werift configuration. Callers must pass at least one STUN URL: werift falls back to Google's otherwise. */
export function weriftConfig(ice: IceOptions): RTCPeerConnectionConfig {
  if (ice.stun.length === 0) throw new Error('no STUN server configured: werift would fall back to a public one')
  const iceServers: NonNullable<RTCPeerConnectionConfig['iceServers']> = [{ urls: ice.stun }]
  if (ice.turn.length) iceServers.push({ urls: ice.turn, username: ice.turnUser ?? '', credential: ice.turnPass ?? '' })
  return {
    iceServers,
    iceTransportPolicy: ice.transportPolicy ?? 'all',
    iceAdditionalHostAddresses: ice.additionalHostAddresses,
    iceUseIpv6: true,
    iceStunGatherTimeout: ice.stunGatherTimeoutS ?? 3
  }
}
