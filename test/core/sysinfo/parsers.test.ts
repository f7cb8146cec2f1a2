import { describe, expect, it } from 'vitest'
import { parseIpAddr, parseIpDefaultRoutes, parseIpRouteGet } from '../../../src/core/sysinfo/linux'
import { parseIfconfig, parseRouteDefault, parseRouteGet } from '../../../src/core/sysinfo/darwin'
import { parseFindNetRoute, parseNetIpInterface, parseNetRouteDefault } from '../../../src/core/sysinfo/windows'

describe('Linux iproute2 JSON', () => {
  it('reads interfaces: MTU, up/down, addresses, VPN-like names', () => {
    const json = JSON.stringify([
      { ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, operstate: 'UNKNOWN', link_type: 'loopback', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
      { ifname: 'eth0', flags: ['BROADCAST', 'UP'], mtu: 1500, operstate: 'UP', addr_info: [{ family: 'inet', local: '192.168.1.5', prefixlen: 24 }, { family: 'inet6', local: 'fe80::1', prefixlen: 64 }] },
      { ifname: 'wt0', flags: ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'], mtu: 1280, operstate: 'UNKNOWN', link_type: 'none', addr_info: [{ family: 'inet', local: '100.92.1.2', prefixlen: 16 }] },
      { ifname: 'eth1', flags: ['NO-CARRIER', 'UP'], mtu: 1500, operstate: 'DOWN', addr_info: [] }
    ])
    expect(parseIpAddr(json)).toEqual([
      { name: 'lo', up: true, mtu: 65536, internal: true, vpnLike: false, addresses: [{ address: '127.0.0.1', family: 4, prefixLength: 8 }] },
      { name: 'eth0', up: true, mtu: 1500, internal: false, vpnLike: false, addresses: [{ address: '192.168.1.5', family: 4, prefixLength: 24 }, { address: 'fe80::1', family: 6, prefixLength: 64 }] },
      { name: 'wt0', up: true, mtu: 1280, internal: false, vpnLike: true, addresses: [{ address: '100.92.1.2', family: 4, prefixLength: 16 }] },
      { name: 'eth1', up: false, mtu: 1500, internal: false, vpnLike: false, addresses: [] }
    ])
  })

  it('reads a route lookup, with the MTU from metrics', () => {
    const json = '[{"dst":"8.8.8.8","gateway":"100.92.0.1","dev":"wt0","prefsrc":"100.92.1.2","metrics":[{"mtu":1280}],"flags":[],"uid":0,"cache":[]}]'
    expect(parseIpRouteGet(json, '8.8.8.8', 'ip -j route get 8.8.8.8')).toEqual({ destination: '8.8.8.8', ok: true, command: 'ip -j route get 8.8.8.8', interface: 'wt0', gateway: '100.92.0.1', source: '100.92.1.2', mtu: 1280, vpnLike: true })
    expect(parseIpRouteGet('[]', 'x', 'c')).toMatchObject({ ok: false, error: 'no route in the output' })
  })

  it('reads default routes', () => {
    expect(parseIpDefaultRoutes('[{"dst":"default","gateway":"192.0.2.1","dev":"eth0","flags":[]},{"dst":"default","dev":"wg0"}]', 4)).toEqual([{ address: '192.0.2.1', interface: 'eth0', family: 4 }])
  })
})

describe('macOS route and ifconfig', () => {
  const routeGet = `   route to: 81.2.69.142
destination: default
       mask: default
    gateway: 100.92.0.1
  interface: utun4
      flags: <UP,GATEWAY,DONE,STATIC,PRCLONING,GLOBAL>
 recvpipe  sendpipe  ssthresh  rtt,msec    rttvar  hopcount      mtu     expire
       0         0         0         0         0         0      1280         0
`
  it('reads route -n get', () => {
    expect(parseRouteGet(routeGet, '81.2.69.142', 'route -n get 81.2.69.142')).toEqual({ destination: '81.2.69.142', ok: true, command: 'route -n get 81.2.69.142', interface: 'utun4', gateway: '100.92.0.1', source: null, mtu: 1280, vpnLike: true })
    expect(parseRouteGet('route: writing to routing socket: not in table', 'x', 'c')).toMatchObject({ ok: false })
    expect(parseRouteDefault(routeGet.replace('100.92.0.1', 'fe80::1%en0'), 6)).toEqual([{ address: 'fe80::1', interface: 'utun4', family: 6 }])
  })

  it('reads ifconfig -a', () => {
    const text = `lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> mtu 16384
	inet 127.0.0.1 netmask 0xff000000
	inet6 ::1 prefixlen 128
en0: flags=8863<UP,BROADCAST,SMART,RUNNING,SIMPLEX,MULTICAST> mtu 1500
	ether 3c:22:fb:00:00:01
	inet6 fe80::1c2b:1%en0 prefixlen 64 secured scopeid 0xb
	inet 10.20.0.15 netmask 0xffff0000 broadcast 10.20.255.255
en5: flags=8822<BROADCAST,SMART,SIMPLEX,MULTICAST> mtu 1500
utun4: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> mtu 1280
	inet 100.92.14.3 --> 100.92.14.3 netmask 0xffff0000
`
    expect(parseIfconfig(text)).toEqual([
      { name: 'lo0', up: true, mtu: 16384, internal: true, vpnLike: false, addresses: [{ address: '127.0.0.1', family: 4, prefixLength: 8 }, { address: '::1', family: 6, prefixLength: 128 }] },
      { name: 'en0', up: true, mtu: 1500, internal: false, vpnLike: false, addresses: [{ address: 'fe80::1c2b:1', family: 6, prefixLength: 64 }, { address: '10.20.0.15', family: 4, prefixLength: 16 }] },
      { name: 'en5', up: false, mtu: 1500, internal: false, vpnLike: false, addresses: [] },
      { name: 'utun4', up: true, mtu: 1280, internal: false, vpnLike: true, addresses: [{ address: '100.92.14.3', family: 4, prefixLength: 16 }] }
    ])
  })
})

describe('Windows PowerShell JSON', () => {
  it('reads Find-NetRoute (source address object and route object)', () => {
    const json = JSON.stringify([{ InterfaceAlias: 'wt0', IPAddress: '100.92.14.3', NextHop: null }, { InterfaceAlias: 'wt0', IPAddress: null, NextHop: '0.0.0.0' }])
    expect(parseFindNetRoute(json, '8.8.8.8', 'Find-NetRoute -RemoteIPAddress 8.8.8.8')).toEqual({ destination: '8.8.8.8', ok: true, command: 'Find-NetRoute -RemoteIPAddress 8.8.8.8', interface: 'wt0', gateway: null, source: '100.92.14.3', mtu: null, vpnLike: true })
  })

  it('merges Get-NetIPInterface MTU and state into the addresses Node knows', () => {
    const json = JSON.stringify([{ InterfaceAlias: 'Ethernet', AddressFamily: 2, NlMtu: 1500, ConnectionState: 1 }, { InterfaceAlias: 'Wi-Fi', NlMtu: 1500, ConnectionState: 0 }])
    const node = [{ name: 'Ethernet', up: null, mtu: null, internal: false, vpnLike: false, addresses: [{ address: '10.0.0.5', family: 4 as const, prefixLength: 24 }] }]
    expect(parseNetIpInterface(json, node)).toEqual([
      { ...node[0], up: true, mtu: 1500 },
      { name: 'Wi-Fi', up: false, mtu: 1500, internal: false, vpnLike: false, addresses: [] }
    ])
  })

  it('reads default routes from Get-NetRoute (one object or many)', () => {
    expect(parseNetRouteDefault('{"NextHop":"192.168.1.1","InterfaceAlias":"Wi-Fi"}')).toEqual([{ address: '192.168.1.1', interface: 'Wi-Fi', family: 4 }])
  })
})
