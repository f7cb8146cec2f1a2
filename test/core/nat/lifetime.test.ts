import { afterEach, describe, expect, it } from 'vitest'
import { lifetimeSteps, summariseLifetime } from '../../../src/core/nat/lifetime'
import { discoverNat } from '../../../src/core/nat/discover'
import { buildBindingRequest, parseStunPacket } from '../../../src/core/werift/stunCodec'
import { startFakeServer, type FakeServer } from './fakeServer'

describe('mapping lifetime: the verdict (pure)', () => {
  const p = (afterS: number, alive: boolean | null) => ({ afterS, alive })
  it.each([
    ['expires between two probes', true, [p(1, true), p(2, true), p(5, false), p(8, false)], 2, 5, /between 2 s and 5 s/],
    ['never expires', true, [p(1, true), p(2, true)], 2, null, /still there after 2 s/],
    ['gone at once', true, [p(1, false), p(2, false)], null, 1, /gone after 1 s/],
    ['a flaky later probe does not extend it', true, [p(1, true), p(2, false), p(3, true)], 1, 2, /between 1 s and 2 s/],
    ['untestable probes are left out', true, [p(1, null), p(2, true), p(3, false)], 2, 3, /between 2 s and 3 s/],
    ['no RESPONSE-PORT support', false, [p(1, false)], null, null, /RESPONSE-PORT/],
    ['no server', null, [p(1, null)], null, null, /did not answer/]
  ] as const)('%s', (_name, control, probes, aliveS, expiredS, reason) => {
    const r = summariseLifetime(control, [...probes])
    expect({ aliveS: r.aliveS, expiredS: r.expiredS }).toEqual({ aliveS, expiredS })
    expect(r.reason).toMatch(reason)
  })

  it('steps end at the maximum', () => {
    expect(lifetimeSteps(8)).toEqual([1, 2, 3, 5, 8])
    expect(lifetimeSteps(120).at(-1)).toBe(120)
  })

  it('RESPONSE-PORT is written and read back', () => {
    const parsed = parseStunPacket(buildBindingRequest({ responsePort: 40000 }).bytes)
    expect(parsed.ok && parsed.message.responsePort).toBe(40000)
  })
})

describe('mapping lifetime against a scripted server on loopback', () => {
  let server: FakeServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('no NAT: the mapping never expires within the steps', async () => {
    server = await startFakeServer()
    const r = await discoverNat({ stun: server.url, lifetime: { stepsS: [0.2, 0.4] } })
    expect(r.lifetime).toMatchObject({ aliveS: 0.4, expiredS: null })
    expect(r.durationMs).toBeGreaterThanOrEqual(400)
  })

  it('a server ignoring RESPONSE-PORT: lifetime unknown', async () => {
    server = await startFakeServer({ ignoreResponsePort: true })
    const r = await discoverNat({ stun: server.url, lifetime: { stepsS: [0.2] } })
    expect(r.lifetime).toMatchObject({ aliveS: null, expiredS: null })
    expect(r.lifetime?.reason).toMatch(/RESPONSE-PORT/)
  })

  it('off by default', async () => {
    server = await startFakeServer()
    const r = await discoverNat({ stun: server.url })
    expect(r.lifetime).toBeUndefined()
  })
})
