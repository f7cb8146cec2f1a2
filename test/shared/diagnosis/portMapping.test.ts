import { describe, expect, it } from 'vitest'
import { portMappingReason } from '../../../src/shared/diagnosis/portMapping'
import type { PortMappingResult } from '../../../src/shared/nat'
import type { Role, Verdict } from '../../../src/shared/session'

const REASON = 'the two sides reach each other without a relay, over srflx 203.0.113.10:1024 <-> srflx 203.0.113.11:5000 (udp)'

function side(role: Role, protocol: 'nat-pmp' | 'pcp' | 'upnp' | null, used: boolean | null) {
  const p = { available: true, reason: 'ok', externalAddress: '203.0.113.10', ms: 1 }
  const pm: PortMappingResult = {
    gateway: '10.0.0.1',
    upnp: p,
    natPmp: p,
    pcp: p,
    externalAddress: '203.0.113.10',
    session: { protocol, internal: null, external: null, used, removed: true, reason: 'mapped' }
  }
  return { role, nat: { portMapping: pm } }
}

describe('the verdict reason names a port mapping the path used (issue 13)', () => {
  it.each<[string, Verdict, ReturnType<typeof side>[], { verdict: string } | undefined, string]>([
    ['NAT-PMP on the host, relay predicted', 'direct', [side('host', 'nat-pmp', true), side('join', null, null)], { verdict: 'relayed' }, "; thanks to a NAT-PMP mapping on the host's side (without it: relayed, as the NAT types predicted)"],
    ['PCP on the joiner, failure predicted', 'direct', [side('host', null, null), side('join', 'pcp', true)], { verdict: 'failed' }, "; thanks to a PCP mapping on the joiner's side (without it: no connection, as the NAT types predicted)"],
    ['both sides, direct predicted', 'direct', [side('host', 'upnp', true), side('join', 'nat-pmp', true)], { verdict: 'direct' }, "; thanks to a UPnP IGD mapping on the host's side and a NAT-PMP mapping on the joiner's side (without them: probably direct too, as the NAT types predicted)"],
    ['no prediction', 'direct', [side('host', 'nat-pmp', true)], undefined, "; thanks to a NAT-PMP mapping on the host's side (without it: unknown)"],
    ['mapping made but not used', 'direct', [side('host', 'nat-pmp', false), side('join', 'nat-pmp', null)], { verdict: 'relayed' }, ''],
    ['relayed path', 'relayed', [side('host', 'nat-pmp', true)], { verdict: 'relayed' }, ''],
    ['no port mapping probed', 'direct', [{ role: 'host' as Role, nat: {} } as ReturnType<typeof side>], { verdict: 'relayed' }, '']
  ])('%s', (_name, verdict, sides, predicted, note) => {
    expect(portMappingReason(verdict, REASON, sides, predicted)).toBe(REASON + note)
  })

  it('accepts a missing side (no nat at all)', () => {
    expect(portMappingReason('direct', REASON, [{ role: 'join' }, side('host', 'pcp', true)])).toBe(`${REASON}; thanks to a PCP mapping on the host's side (without it: unknown)`)
  })
})
