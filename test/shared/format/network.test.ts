import { describe, expect, it } from 'vitest'
import { networkText } from '../../../src/shared/format/network'

describe('networkText', () => {
  it('says which servers, what was left out of ICE and where signaling went', () => {
    expect(
      networkText({
        includeVpn: false,
        excludedInterfaces: ['wt0'],
        signaling: { server: '100.64.0.1', interface: 'wt0', vpnLike: true },
        stun: { source: 'default', servers: ['stun:a:3478'], contacted: ['stun:a:3478', 'stun:b:3478'] }
      })
    ).toBe('STUN default public list: stun:a:3478; contacted 2 public servers; left out of ICE: wt0; signaling via wt0 (VPN-like)')
    expect(networkText({ includeVpn: true, excludedInterfaces: [], stun: { source: 'offline', servers: ['stun:127.0.0.1:8080'], contacted: [] } })).toBe(
      'STUN offline (no third party): stun:127.0.0.1:8080; VPN interfaces included (--include-vpn)'
    )
    expect(networkText(undefined)).toBeNull()
  })
})
