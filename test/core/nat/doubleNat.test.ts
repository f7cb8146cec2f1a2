import { describe, expect, it } from 'vitest'
import { isCgnat, isPrivate4, judgeDoubleNat, parseHops, SessionDoubleNat, traceHops } from '../../../src/core/nat/doubleNat'
import type { NatResult, PortMappingResult } from '../../../src/shared/nat'

const TRACEPATH_CGN = ` 1?: [LOCALHOST]                      pmtu 1500
 1:  10.1.0.1                                              0.080ms
 1:  10.1.0.1                                              0.041ms
 2:  100.64.0.1                                            0.052ms
 3:  203.0.113.2                                           0.061ms reached
     Resume: pmtu 1500 hops 3 back 3
`
const TRACEROUTE = `traceroute to 203.0.113.2 (203.0.113.2), 4 hops max, 60 byte packets
 1  192.168.1.1  0.412 ms
 2  *
 3  198.51.100.1  9.1 ms
`

function pm(external: string | null): PortMappingResult {
  const p = { available: external !== null, reason: 'x', externalAddress: external, ms: 1 }
  return { gateway: '10.1.0.1', upnp: p, natPmp: p, pcp: { ...p, externalAddress: null }, externalAddress: external }
}

describe('double NAT detection', () => {
  it('ranges', () => {
    expect(['100.64.0.1', '100.127.255.254'].map(isCgnat)).toEqual([true, true])
    expect(['100.63.255.255', '100.128.0.0', '10.0.0.1'].map(isCgnat)).toEqual([false, false, false])
    expect(['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1'].map(isPrivate4)).toEqual([true, true, true, true])
    expect(['172.32.0.1', '203.0.113.2', '100.64.0.1'].map(isPrivate4)).toEqual([false, false, false])
  })

  it('parses tracepath and traceroute (first address per hop, unanswered hops left out)', () => {
    expect(parseHops(TRACEPATH_CGN)).toEqual([
      { hop: 1, address: '10.1.0.1' },
      { hop: 2, address: '100.64.0.1' },
      { hop: 3, address: '203.0.113.2' }
    ])
    expect(parseHops(TRACEROUTE)).toEqual([
      { hop: 1, address: '192.168.1.1' },
      { hop: 3, address: '198.51.100.1' }
    ])
    expect(parseHops('garbage\n\u0000')).toEqual([])
  })

  it.each([
    ['CGNAT hop after the home gateway', { mapped: '198.51.100.9', hops: parseHops(TRACEPATH_CGN) }, true, true, /^double NAT \(carrier-grade NAT at hop 2, 100\.64\.0\.1\)/],
    ['the gateway reports a CGNAT external address', { mapped: '198.51.100.9', portMapping: pm('100.64.3.4') }, true, true, /^double NAT \(carrier-grade NAT, 100\.64\.3\.4\)/],
    ['the gateway reports a private external address', { mapped: '198.51.100.9', portMapping: pm('192.168.0.5') }, true, false, /double NAT \(the gateway's external address 192\.168\.0\.5 is private\)/],
    ['the gateway reports a public address STUN did not see', { mapped: '198.51.100.9', portMapping: pm('198.51.100.200') }, true, false, /not the address STUN saw \(198\.51\.100\.9\)/],
    ['the gateway reports what STUN saw', { mapped: '198.51.100.9', portMapping: pm('198.51.100.9') }, false, false, /^one NAT/],
    ['a public hop right after the gateway', { mapped: '198.51.100.9', hops: [{ hop: 1, address: '10.1.0.1' }, { hop: 2, address: '203.0.113.2' }] }, false, false, /^one NAT/],
    ['private hops, nothing else', { mapped: '198.51.100.9', hops: [{ hop: 1, address: '10.1.0.1' }, { hop: 2, address: '10.9.0.1' }] }, null, false, /^cannot tell: private hops/],
    ['nothing measured', { mapped: null, hopsError: 'tracepath: not installed' }, null, false, /^cannot tell/]
  ])('%s', (_name, input, detected, carrierGrade, reason) => {
    const r = judgeDoubleNat(input)
    expect(r.detected).toBe(detected)
    expect(r.carrierGrade).toBe(carrierGrade)
    expect(r.reason).toMatch(reason)
    expect(r.evidence.length).toBeGreaterThan(0)
  })

  it('traceHops falls back to traceroute when tracepath is missing, and never throws', async () => {
    const calls: string[] = []
    const r = await traceHops('203.0.113.2', {
      run: async (cmd) => {
        calls.push(cmd)
        return cmd === 'tracepath' ? { code: null, stdout: '', stderr: '', error: 'tracepath -n: not installed' } : { code: 0, stdout: TRACEROUTE, stderr: '' }
      }
    })
    expect(calls).toEqual(['tracepath', 'traceroute'])
    expect(r).toMatchObject({ tool: 'traceroute', hops: [{ hop: 1, address: '192.168.1.1' }, { hop: 3, address: '198.51.100.1' }] })
    expect(await traceHops('example.org')).toMatchObject({ hops: [], error: 'example.org is not an IPv4 address' })
  })

  it('traceHops runs the real tracepath on loopback, bounded', async () => {
    const t0 = performance.now()
    const r = await traceHops('127.0.0.1', { maxHops: 2, timeoutMs: 3000 })
    expect(performance.now() - t0).toBeLessThan(4000)
    if (r.tool) expect(r.hops[0]?.address).toBe('127.0.0.1')
    else expect(r.error).toBeTruthy()
  })
})

describe('double NAT during a host or join session (SessionDoubleNat)', () => {
  const nat = (over: Partial<NatResult> = {}) => ({ mapped: { address: '203.0.113.10', port: 4000 }, server: { address: '203.0.113.2', port: 3478 }, ...over }) as NatResult

  it('traces toward the server NAT discovery answered from, once discovery answers, and judges with the port mapping', async () => {
    const calls: string[][] = []
    const d = new SessionDoubleNat({
      run: async (cmd, args) => {
        calls.push([cmd, ...args])
        return { code: 0, stdout: TRACEPATH_CGN, stderr: '' }
      }
    })
    expect(await d.judge(nat(), 100)).toBeUndefined()
    const discover = d.watch(async () => nat())
    expect(calls).toEqual([])
    await discover()
    await discover()
    expect(calls).toEqual([['tracepath', '-n', '-m', '4', '203.0.113.2']])
    const r = await d.judge({ ...nat(), portMapping: pm('100.64.0.2') }, 1000)
    expect(r).toMatchObject({ detected: true, carrierGrade: true })
    expect(r!.reason).toContain('double NAT (carrier-grade NAT at hop 2, 100.64.0.1)')
    expect(r!.evidence.join(' ')).toMatch(/NAT-PMP|UPnP/)
  })

  it('does not trace when discovery found no server, no mapped address or no NAT at all, and says so when the trace is late', async () => {
    let ran = 0
    const d = new SessionDoubleNat({ run: async () => (ran++, { code: null, stdout: '', stderr: '' }) })
    await d.watch(async () => null)()
    await d.watch(async () => nat({ mapped: null }))()
    await d.watch(async () => nat({ mapping: 'none' }))()
    expect(ran).toBe(0)
    expect(await d.judge(nat(), 10)).toBeUndefined()
    const slow = new SessionDoubleNat({ run: () => new Promise(() => {}) })
    await slow.watch(async () => nat())()
    const r = await slow.judge(nat(), 20)
    expect(r).toMatchObject({ detected: null, hops: [] })
    expect(r!.evidence).toContain('no hops measured: the trace toward 203.0.113.2 took longer than 20 ms')
  })
})
