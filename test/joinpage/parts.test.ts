import { describe, expect, it } from 'vitest'
import { foldPairs } from '../../src/joinpage/pairs'
import { browserOs, pageSide } from '../../src/joinpage/side'
import type { PairInfo } from '../../src/shared/session'
import type { PairSnapshot } from '../../src/joinpage/stats'

const ref = { type: 'host' as const, protocol: 'udp' as const, address: '192.0.2.2', port: 5000 }
const snap = (over: Partial<PairSnapshot> = {}): PairSnapshot => ({ id: 'p', local: ref, remote: ref, state: 'waiting', nominated: false, requestsSent: 0, responsesReceived: 0, ...over })

describe('foldPairs', () => {
  it.each([
    ['a new pair', [], snap(), 1, true, ['waiting']],
    ['the same sample again', [snap()], snap(), 0, false, ['waiting']],
    ['a new state', [snap()], snap({ state: 'succeeded' }), 1, true, ['waiting', 'succeeded']],
    ['nominated', [snap()], snap({ nominated: true }), 1, true, ['waiting']],
    ['only a new round trip', [snap()], snap({ rttMs: 3 }), 0, true, ['waiting']],
    ['only counters', [snap()], snap({ requestsSent: 4 }), 0, false, ['waiting']]
  ])('%s', (_name, before, next, events, changed, history) => {
    const known = new Map<string, PairInfo>()
    foldPairs(known, before, 1)
    const out = foldPairs(known, [next], 2)
    expect(out.events).toHaveLength(events)
    expect(out.changed).toBe(changed)
    expect(known.get('p')?.history.map((h) => h.state)).toEqual(history)
    expect(known.get('p')).toMatchObject(next)
  })
})

describe('the page side', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'linux', 'browser Chrome 120.0.0.0'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15', 'darwin', 'browser Safari 17.0'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0', 'win32', 'browser Firefox 121.0'],
    ['curl/8', 'unknown', 'browser']
  ])('%s', (ua, platform, release) => {
    expect(browserOs(ua)).toEqual({ platform, release, arch: 'unknown' })
  })

  it('leaves the selected pair out when the channel never opened', () => {
    const base = { name: 'b', version: '1', startedAt: 'now', verdict: { verdict: 'failed' as const, reason: 'r' }, selected: { local: ref, remote: ref }, rtts: [2, 4, 6], local: [], remote: [], pairs: [], events: [] }
    expect(pageSide({ ...base, connectedAfterMs: null }, 'ua')).toMatchObject({ role: 'join', selectedPair: null, verdict: 'failed', rttMs: 4, userAgent: 'ua', app: { name: 'peerlens-web', version: '1' } })
    expect(pageSide({ ...base, connectedAfterMs: 5 }, 'ua')).toMatchObject({ selectedPair: { local: ref, remote: ref }, connectedAfterMs: 5 })
  })
})
