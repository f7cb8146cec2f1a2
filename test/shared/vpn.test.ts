import { describe, expect, it } from 'vitest'
import { isVpnAddress, isVpnLikeInterface, isVpnLikeName, vpnInterfaces } from '../../src/shared/vpn'

describe('what looks like a VPN tunnel', () => {
  it.each(['wt0', 'wg0', 'tailscale0', 'utun3', 'zt5u4abc', 'tun0', 'tap1', 'ppp0', 'nordlynx', 'WG1'])('%s by its name', (name) => {
    expect(isVpnLikeName(name)).toBe(true)
  })

  it.each(['eth0', 'enp3s0', 'wlan0', 'lo', 'en0', 'br0', 'docker0', 'veth12'])('%s is not, by its name', (name) => {
    expect(isVpnLikeName(name)).toBe(false)
  })

  it.each([
    ['100.64.0.1', true],
    ['100.127.255.254', true],
    ['100.63.255.255', false],
    ['100.128.0.1', false],
    ['::ffff:100.100.1.2', true],
    ['fd7a:115c:a1e0::1', true],
    ['fd7a:115c:a1e0:ab12::5', true],
    ['[fd7a:115c:a1e0::1]', true],
    ['fd7a:115c:a1e1::1', false],
    ['10.0.0.1', false],
    ['192.168.1.2', false],
    ['2001:db8::1', false]
  ])('%s by its address: %s', (address, vpn) => {
    expect(isVpnAddress(address)).toBe(vpn)
  })

  it('an interface with any address in a mesh range is VPN-like whatever its name', () => {
    expect(isVpnLikeInterface('mesh7', ['fe80::1', '100.70.1.2'])).toBe(true)
    expect(isVpnLikeInterface('eth0', ['10.0.0.2', 'fe80::1'])).toBe(false)
  })

  it('lists the VPN-like interfaces of a machine once each, never loopback', () => {
    const list = [
      { name: 'lo', address: '127.0.0.1', internal: true },
      { name: 'eth0', address: '10.0.1.2' },
      { name: 'wt0', address: '100.64.0.2' },
      { name: 'wt0', address: 'fe80::2' },
      { name: 'odd', address: '100.99.0.1' },
      { name: 'wg0', address: '10.9.0.1' }
    ]
    expect(vpnInterfaces(list)).toEqual(['wt0', 'odd', 'wg0'])
  })
})
