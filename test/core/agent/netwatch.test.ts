import { describe, expect, it } from 'vitest'
import { defaultGateways, networkChanges, networkState, watchNetwork, type NetworkState } from '../../../src/core/agent/netwatch'

const ROUTE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t0102000A\t0003\t0\t0\t100\t00000000\t0\t0\t0
eth0\t0002000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
wlan0\t00000000\t01AFA8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
`

describe('network change detection', () => {
  it('reads the IPv4 default routes of /proc/net/route', () => {
    expect(defaultGateways(ROUTE)).toEqual(['eth0 via 10.0.2.1', 'wlan0 via 192.168.175.1'])
    expect(defaultGateways('Iface\tDestination\n')).toEqual([])
  })

  it('lists non-loopback addresses with their prefix', () => {
    const s = networkState(
      {
        lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '', internal: true, cidr: '127.0.0.1/8' }],
        eth0: [{ address: '10.0.2.15', netmask: '255.255.255.0', family: 'IPv4', mac: '', internal: false, cidr: '10.0.2.15/24' }]
      },
      ROUTE
    )
    expect(s).toEqual({ addresses: ['eth0 10.0.2.15/24'], gateways: ['eth0 via 10.0.2.1', 'wlan0 via 192.168.175.1'] })
  })

  const base: NetworkState = { addresses: ['eth0 10.0.2.15/24'], gateways: ['eth0 via 10.0.2.1'] }
  const cases: Array<[string, NetworkState, string[]]> = [
    ['nothing changed', base, []],
    ['an address appeared', { ...base, addresses: ['eth0 10.0.2.15/24', 'wg0 100.64.0.2/32'] }, ['address wg0 100.64.0.2/32 appeared']],
    ['the address changed', { ...base, addresses: ['eth0 10.0.3.9/24'] }, ['address eth0 10.0.3.9/24 appeared', 'address eth0 10.0.2.15/24 went away']],
    ['the default gateway changed', { ...base, gateways: ['wlan0 via 192.168.1.1'] }, ['default route wlan0 via 192.168.1.1 appeared', 'default route eth0 via 10.0.2.1 went away']]
  ]
  for (const [name, after, changes] of cases) it(name, () => expect(networkChanges(base, after)).toEqual(changes))

  it('calls back once per change while polling', async () => {
    const states = [base, base, { ...base, gateways: [] }, { ...base, gateways: [] }]
    let i = 0
    const seen: string[][] = []
    const stop = watchNetwork(20, (c) => seen.push(c), () => states[Math.min(i++, states.length - 1)]!)
    await new Promise((r) => setTimeout(r, 200))
    stop()
    expect(seen).toEqual([['default route eth0 via 10.0.2.1 went away']])
  })
})
