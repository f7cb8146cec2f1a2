import { describe, expect, it } from 'vitest'
import { attemptPolicy, directChance, expectedAttempts, iceForAttempt, onFailed, onOpen, ownFeatures, predictionInput, relayDecision, type DirectView, type Sides } from '../../../src/core/peer/attemptRules'
import { DIRECT_CONNECTING_MS, DIRECT_EXPECTED_MS, DIRECT_WINDOW_MS } from '../../../src/core/peer/waits'
import type { AttemptView } from '../../../src/core/peer/records'
import type { NatResult } from '../../../src/shared/nat'

const sides = (role: 'host' | 'join', hasTurn: boolean, peer: string[] = []): Sides => ({ role, hasTurn, peer: (f) => peer.includes(f) })
const attempt = (id: number, over: Partial<AttemptView> = {}): AttemptView => ({ id, policy: id === 2 ? 'relay' : 'all', startedAtMs: 0, connectedAtMs: null, failure: undefined, selected: null, ...over })
const nat = (classic: string): NatResult => ({ mapping: 'endpoint-independent', filtering: 'endpoint-independent', classic, reason: 'r' }) as NatResult

describe('ownFeatures', () => {
  it.each([
    [false, false, ['relay-attempt', 'port-test', 'throughput', 'udp-probes']],
    [true, false, ['relay-attempt', 'port-test', 'throughput', 'udp-probes', 'nat']],
    [true, true, ['relay-attempt', 'port-test', 'throughput', 'udp-probes', 'nat', 'turn']]
  ])('nat %s, turn %s', (discoverNat, hasTurn, features) => {
    expect(ownFeatures({ discoverNat, hasTurn })).toEqual(features)
  })
})

describe('expectedAttempts', () => {
  it.each([
    [sides('host', true, ['relay-attempt']), true, 2],
    [sides('host', false, ['relay-attempt', 'turn']), true, 2],
    [sides('host', true, []), true, 1],
    [sides('host', false, ['relay-attempt']), true, 1],
    [sides('host', true, ['relay-attempt']), false, 1]
  ])('%#', (s, relayAttempt, n) => {
    expect(expectedAttempts(s, relayAttempt)).toBe(n)
  })
})

describe('attemptPolicy', () => {
  it.each([
    [1, true, 'all'],
    [2, true, 'relay'],
    [2, false, 'all']
  ] as const)('attempt %s, turn %s: %s', (id, turn, policy) => {
    expect(attemptPolicy(id, turn)).toBe(policy)
  })
})

describe('iceForAttempt', () => {
  const ice = { stun: ['stun:s:3478'], turn: ['turn:t:3478', 'turn:u:3478?transport=udp', 'turns:v:5349'] }
  it('keeps the settings unless UDP is blocked', () => {
    expect(iceForAttempt(ice, nat('open'))).toEqual({ ice })
    expect(iceForAttempt(ice, undefined)).toEqual({ ice })
  })
  it('asks TURN over TCP when UDP is blocked, and does not wait for STUN', () => {
    const out = iceForAttempt(ice, nat('udp-blocked'))
    expect(out.ice.turn).toEqual(['turn:t:3478?transport=tcp', 'turn:u:3478?transport=udp', 'turns:v:5349'])
    expect(out.ice.stunGatherTimeoutS).toBe(0.3)
    expect(out.warning).toMatch(/UDP is blocked/)
    expect(iceForAttempt({ stun: [], turn: [] }, nat('udp-blocked')).warning).toBeUndefined()
  })
})

describe('onOpen', () => {
  it.each([
    [sides('join', false, ['relay-attempt']), 1, undefined, 'host-decides'],
    [sides('join', false, []), 1, undefined, 'choose'],
    [sides('host', true), 1, undefined, 'choose'],
    [sides('host', true), 2, attempt(1), 'grace'],
    [sides('host', true), 2, attempt(1, { failure: 'x' }), 'choose'],
    [sides('host', true), 2, undefined, 'choose']
  ] as const)('%#', (s, id, first, next) => {
    expect(onOpen(s, attempt(id), first)).toBe(next)
  })
})

describe('onFailed', () => {
  const open = attempt(2, { connectedAtMs: 5 })
  it.each([
    [sides('host', true), [attempt(1, { failure: 'x' }), open], 2, { choose: open }],
    [sides('join', true), [attempt(1, { failure: 'x' }), open], 2, 'wait'],
    [sides('host', true), [attempt(1, { failure: 'x' })], 2, 'wait'],
    [sides('host', true), [attempt(1, { failure: 'x' })], 1, 'fail'],
    [sides('host', true), [attempt(1, { failure: 'x' }), attempt(2, { failure: 'y' })], 2, 'fail']
  ])('%#', (s, attempts, expected, next) => {
    expect(onFailed(s, attempts, expected)).toEqual(next)
  })
})

describe('predictionInput', () => {
  const a = nat('open')
  const b = nat('symmetric')
  it.each([
    ['own result pending', sides('host', false, ['nat']), true, undefined, b, undefined],
    ['peer unknown', sides('host', false), false, a, undefined, undefined],
    ['peer result pending', sides('host', false, ['nat']), true, a, undefined, undefined],
    ['host', sides('host', true, ['nat']), true, a, b, { host: a, join: b, turn: true, turnTcp: { host: true, join: false } }],
    ['join, peer without nat', sides('join', false, ['turn']), true, a, undefined, { host: null, join: a, turn: true, turnTcp: { host: true, join: false } }],
    ['no answer here', sides('host', false), true, null, undefined, { host: null, join: null, turn: false, turnTcp: { host: false, join: false } }]
  ])('%s', (_name, s, peerKnown, own, other, input) => {
    expect(predictionInput({ ...s, peerKnown }, own, other)).toEqual(input)
  })

  it('says whether the two host addresses share one of our subnets', () => {
    const s = { ...sides('host', true, ['nat']), peerKnown: true }
    const at = (address: string) => ({ ...nat('port-restricted'), local: { address, port: 1 } })
    const ours = [{ address: '10.1.0.2', prefixLength: 24 }]
    expect(predictionInput(s, at('10.1.0.2'), at('10.1.0.3'), ours)?.sameSubnet).toBe(true)
    expect(predictionInput(s, at('10.1.0.2'), at('10.2.0.2'), ours)?.sameSubnet).toBe(false)
    expect(predictionInput(s, at('10.1.0.2'), at('10.2.0.2'))).not.toHaveProperty('sameSubnet')
  })
})

describe('directChance and relayDecision (relay path up, first attempt still running)', () => {
  const end = (address: string, type = 'srflx') => ({ type, protocol: 'udp', address, port: 5000 }) as const
  const v4 = (state: string) => ({ state, local: end('198.51.100.1'), remote: end('203.0.113.9') }) as never
  const v6 = (state: string) => ({ state, local: end('2001:db8::1', 'host'), remote: end('2001:db8::2', 'host') }) as never
  const first = (pairs: never[], over: Partial<DirectView> = {}): DirectView => ({ startedAtMs: 100, connectedAtMs: null, failure: undefined, pairs, ...over })

  it.each([
    ['failed attempt', first([], { failure: 'ICE failed' }), undefined, 'none'],
    ['a pair passed its checks', first([v4('failed'), v4('succeeded')]), 'relayed', 'connecting'],
    ['prediction relayed, IPv4 pairs checking', first([v4('in-progress'), v4('waiting')]), 'relayed', 'none'],
    ['prediction failed', first([v4('in-progress')]), 'failed', 'none'],
    ['prediction relayed, an IPv6 pair still checking', first([v4('failed'), v6('in-progress')]), 'relayed', 'possible'],
    ['prediction relayed, the IPv6 pair failed', first([v4('in-progress'), v6('failed')]), 'relayed', 'none'],
    ['no prediction', first([v4('in-progress')]), undefined, 'possible'],
    ['prediction unknown', first([v4('in-progress')]), 'unknown', 'possible'],
    ['prediction direct', first([v4('in-progress')]), 'direct', 'possible'],
    ['every pair failed so far, candidates may still come', first([v4('failed')]), undefined, 'possible']
  ] as const)('%s: %s', (_, view, prediction, chance) => {
    expect(directChance(view, prediction)).toBe(chance)
  })

  it.each([
    // Nothing direct can come: at once, however early.
    [first([v4('in-progress')]), 'relayed', 150, 'use-relay'],
    // Still possible: look again soon, within the window from the first attempt's start...
    [first([v4('in-progress')]), undefined, 150, { recheckAtMs: 250 }],
    [first([v4('in-progress')]), undefined, 1_050, { recheckAtMs: 100 + DIRECT_WINDOW_MS }],
    // ...and no longer.
    [first([v4('in-progress')]), undefined, 100 + DIRECT_WINDOW_MS, 'use-relay'],
    // A pair that passed its checks gets a little longer; so does a direct prediction.
    [first([v4('succeeded')]), undefined, 100 + DIRECT_WINDOW_MS, { recheckAtMs: 100 + DIRECT_WINDOW_MS + 100 }],
    [first([v4('succeeded')]), undefined, 100 + DIRECT_CONNECTING_MS, 'use-relay'],
    [first([v4('in-progress')]), 'direct', 100 + DIRECT_WINDOW_MS, { recheckAtMs: 100 + DIRECT_WINDOW_MS + 100 }],
    [first([v4('in-progress')]), 'direct', 100 + DIRECT_EXPECTED_MS, 'use-relay']
  ] as const)('%#: at %s ms', (view, prediction, now, decision) => {
    expect(relayDecision(view, prediction, now)).toEqual(decision)
  })

  it('keeps the relayed verdict within its 1.5 s target whatever the first attempt does, unless the prediction expects direct', () => {
    expect(DIRECT_WINDOW_MS).toBeLessThan(1_500)
    expect(DIRECT_CONNECTING_MS).toBeLessThan(1_500)
  })
})
