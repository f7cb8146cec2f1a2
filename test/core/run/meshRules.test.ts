import { describe, expect, it } from 'vitest'
import { honestVerdict, meshExclusions, routeInterface, signalingRoute } from '../../../src/core/run/meshRules'
import type { SessionResult } from '../../../src/shared/session'

const machine = [
  { name: 'lo', address: '127.0.0.1', family: 4 as const, internal: true, vpnLike: false },
  { name: 'eth0', address: '10.0.1.2', family: 4 as const, internal: false, vpnLike: false },
  { name: 'wt0', address: '100.64.0.2', family: 4 as const, internal: false, vpnLike: true },
  { name: 'tailscale0', address: 'fd7a:115c:a1e0::2', family: 6 as const, internal: false, vpnLike: true }
]

describe('mesh rules of a run', () => {
  it('leaves every VPN-like interface out by default, beside what the user excluded', () => {
    expect(meshExclusions(undefined, false, machine)).toEqual({ interfaces: ['wt0', 'tailscale0'] })
    expect(meshExclusions({ interfaces: ['eth1', 'wt0'], addresses: ['10.0.1.9'] }, false, machine)).toEqual({ addresses: ['10.0.1.9'], interfaces: ['eth1', 'wt0', 'tailscale0'] })
  })

  it('--include-vpn keeps them: only what the user excluded is left out', () => {
    expect(meshExclusions(undefined, true, machine)).toEqual({})
    expect(meshExclusions({ interfaces: ['eth1'] }, true, machine)).toEqual({ interfaces: ['eth1'] })
  })

  it('finds the interface a route leaves by, without sending anything', async () => {
    expect(await routeInterface('127.0.0.1')).toEqual({ name: 'lo', vpnLike: false })
    expect(await routeInterface('not an address')).toBeNull()
  })

  it('says which interface carried signaling, from the server URL', async () => {
    expect(await signalingRoute('http://127.0.0.1:8080/')).toEqual({ server: '127.0.0.1', interface: 'lo', vpnLike: false })
    expect(await signalingRoute('embedded')).toEqual({ server: 'embedded', interface: null, vpnLike: false })
    expect(await signalingRoute(undefined)).toBeUndefined()
  })

  it('keeps a direct verdict whose route stays off any tunnel', async () => {
    const pair = { local: { type: 'host' as const, protocol: 'udp' as const, address: '127.0.0.1', port: 1 }, remote: { type: 'host' as const, protocol: 'udp' as const, address: '127.0.0.1', port: 2 } }
    const r = { verdict: 'direct', reason: 'the selected pair is direct: x', selectedPair: pair } as SessionResult
    expect(await honestVerdict(r)).toBe(r)
  })
})
