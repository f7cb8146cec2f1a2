import { describe, expect, it } from 'vitest'
import { eventText } from '../../../src/shared/format'

describe('eventText', () => {
  it.each([
    [{ kind: 'attempt', atMs: 1, attempt: 2, policy: 'relay', outcome: 'connected' }, 'attempt 2 (relay) connected'],
    [{ kind: 'nat', atMs: 1, side: 'join', mapping: 'endpoint-independent', filtering: 'address-dependent', classic: 'restricted-cone', reason: 'x' }, 'NAT of the joiner: restricted-cone (mapping endpoint-independent, filtering address-dependent)'],
    [{ kind: 'prediction', atMs: 1, verdict: 'relayed', reason: 'both symmetric' }, 'prediction: relayed: both symmetric'],
    [{ kind: 'path-metrics', atMs: 1, path: 'direct', rttP50Ms: 1.25, lossPercent: 0, jitterMs: null }, 'direct path: rtt p50 1.3 ms, jitter -, loss 0%'],
    [{ kind: 'clock-offset', atMs: 1, offsetMs: -12, errorMs: 0.5 }, 'clock offset to the other side -12 ms (\u00b10.5 ms)'],
    [{ kind: 'warning', atMs: 1, message: 'wt0 looks like a VPN' }, 'warning: wt0 looks like a VPN'],
    [{ kind: 'something-new', atMs: 1, x: 1 }, 'something-new {"x":1}'],
    [{ kind: 'gathering', atMs: 1, state: 'complete' }, 'ICE gathering complete']
  ])('%j', (event, text) => expect(eventText(event)).toBe(text))
})

describe('the run events', () => {
  it('reads them loosely, as a report from any version may hold them', () => {
    expect(eventText({ kind: 'address', atMs: 0, url: 'http://10.0.0.1:8080/', address: { name: 'wg0', vpnLike: true } })).toBe('also reachable as http://10.0.0.1:8080/ (wg0, VPN)')
    expect(eventText({ kind: 'address', atMs: 0 })).toBe('also reachable as  ()')
    expect(eventText({ kind: 'throughput', atMs: 0, attempt: 1, hostToJoinMBps: 2.5, joinToHostMBps: null })).toBe('throughput (attempt 1): 20.0 Mbit/s host to joiner, - joiner to host')
  })
})
