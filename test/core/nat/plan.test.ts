import { describe, expect, it } from 'vitest'
import type { NatEndpoint, NatTestName } from '../../../src/shared/nat'
import { formatEndpoint } from '../../../src/core/stun/address'
import { buildNatPlan, nextSteps, planFinished, resolveTarget, waitMs, type Answer, type NatPlan, type PlanInput } from '../../../src/core/nat/plan'
import { DEFAULT_NAT_TIMING } from '../../../src/core/nat/timing'

// The plan read as a table, without sockets: which test starts, from which socket, to which address,
// in which wave (a wave starts when everything the previous waves started has settled).

const P: NatEndpoint = { address: '192.0.2.1', port: 3478 }
const O: NatEndpoint = { address: '192.0.2.2', port: 3479 }
const S2: NatEndpoint = { address: '198.51.100.7', port: 3478 }
const ME: NatEndpoint = { address: '203.0.113.5', port: 40000 }
const P6: NatEndpoint = { address: '2001:db8::1', port: 3478 }
const O6: NatEndpoint = { address: '2001:db8::2', port: 3479 }
const ME6: NatEndpoint = { address: '2001:db8:ffff::5', port: 40000 }

const plan = (input: Partial<PlanInput> = {}): NatPlan => buildNatPlan({ family: 4, candidates: [P], hairpin: true, timing: DEFAULT_NAT_TIMING, ...input })

interface Sim {
  waves: string[][]
  skipped: string[]
  finished: boolean
}

/** Runs a plan against scripted answers (absent: no answer). `due`: timed steps whose time has come. */
function simulate(p: NatPlan, answers: Partial<Record<NatTestName, Answer>>, due: NatTestName[] = []): Sim {
  const primary = p.candidates[0]!
  const got = new Map<NatTestName, Answer>()
  const settled = new Set<NatTestName>()
  const started = new Set<NatTestName>()
  for (const step of p.steps.filter((s) => s.byPick)) {
    settled.add(step.test)
    if (answers[step.test]) got.set(step.test, answers[step.test]!)
  }
  const state = { primary, server2: p.server2, answers: got, settled, started, due: new Set(due) }
  const sim: Sim = { waves: [], skipped: [], finished: false }
  for (let i = 0; i < 10; i++) {
    const decisions = nextSteps(p, state)
    const wave: string[] = []
    for (const d of decisions) {
      if ('skip' in d) {
        settled.add(d.step.test)
        sim.skipped.push(`${d.step.test}: ${d.skip}`)
        continue
      }
      started.add(d.step.test)
      const change = d.step.change ? ` change ${d.step.change.ip ? 'ip+' : ''}port` : ''
      const accept = d.start.acceptFrom ? ` accept ${d.start.acceptFrom.map(formatEndpoint).join('|')}` : ''
      wave.push(`${d.step.test} ${d.step.socket} -> ${formatEndpoint(d.start.target)}${change}${accept}`)
    }
    if (wave.length === 0) break
    sim.waves.push(wave)
    for (const d of decisions) {
      if ('skip' in d) continue
      settled.add(d.step.test)
      if (answers[d.step.test]) got.set(d.step.test, answers[d.step.test]!)
    }
  }
  sim.finished = planFinished(p, state)
  return sim
}

const rfc5780: Partial<Record<NatTestName, Answer>> = {
  'mapping-1': { mapped: ME, otherAddress: O },
  'filtering-1': { mapped: { ...ME, port: 40001 }, otherAddress: O },
  'mapping-2': { mapped: ME },
  'mapping-3': { mapped: ME }
}

describe('the NAT plan as data', () => {
  it.each<[string, NatPlan, Partial<Record<NatTestName, Answer>>, NatTestName[], string[][], string[]]>([
    [
      'one server with RFC 5780: filtering first, then the alternate address',
      plan(),
      rfc5780,
      [],
      [
        ['mapping-1 mapping -> 192.0.2.1:3478', 'filtering-1 filtering -> 192.0.2.1:3478'],
        [
          'filtering-2 filtering -> 192.0.2.1:3478 change ip+port accept 192.0.2.2:3479|192.0.2.1:3478',
          'filtering-3 filtering -> 192.0.2.1:3478 change port accept 192.0.2.1:3479|192.0.2.1:3478',
          'hairpin hairpin -> 203.0.113.5:40000'
        ],
        ['mapping-2 mapping -> 192.0.2.2:3478', 'mapping-3 mapping -> 192.0.2.2:3479']
      ],
      []
    ],
    [
      'one server without RFC 5780 (no OTHER-ADDRESS): only test I, the control and hairpin',
      plan(),
      { 'mapping-1': { mapped: ME }, 'filtering-1': { mapped: ME } },
      [],
      [['mapping-1 mapping -> 192.0.2.1:3478', 'filtering-1 filtering -> 192.0.2.1:3478'], ['hairpin hairpin -> 203.0.113.5:40000']],
      [
        'filtering-2: no usable OTHER-ADDRESS from filtering-1',
        'filtering-3: no usable OTHER-ADDRESS from filtering-1',
        'mapping-2: no usable OTHER-ADDRESS from mapping-1',
        'mapping-3: no usable OTHER-ADDRESS from mapping-1'
      ]
    ],
    [
      'an OTHER-ADDRESS with the same IP is no OTHER-ADDRESS',
      plan({ hairpin: false }),
      { 'mapping-1': { mapped: ME, otherAddress: { ...P, port: 3479 } }, 'filtering-1': { mapped: ME, otherAddress: { ...P, port: 3479 } } },
      [],
      [['mapping-1 mapping -> 192.0.2.1:3478', 'filtering-1 filtering -> 192.0.2.1:3478']],
      [
        'filtering-2: no usable OTHER-ADDRESS from filtering-1',
        'filtering-3: no usable OTHER-ADDRESS from filtering-1',
        'mapping-2: no usable OTHER-ADDRESS from mapping-1',
        'mapping-3: no usable OTHER-ADDRESS from mapping-1'
      ]
    ],
    [
      'two servers (--stun2): the second server from the mapping socket, at once',
      plan({ server2: S2, hairpin: false }),
      { 'mapping-1': { mapped: ME }, 'filtering-1': { mapped: ME }, 'mapping-server2': { mapped: ME } },
      [],
      [['mapping-1 mapping -> 192.0.2.1:3478', 'filtering-1 filtering -> 192.0.2.1:3478', 'mapping-server2 mapping -> 198.51.100.7:3478']],
      ['filtering-2: no usable OTHER-ADDRESS from filtering-1', 'filtering-3: no usable OTHER-ADDRESS from filtering-1', 'mapping-2: no usable OTHER-ADDRESS from mapping-1', 'mapping-3: no usable OTHER-ADDRESS from mapping-1']
    ],
    [
      'several candidates: test I ran in the pick, the rest follows against the winner',
      plan({ candidates: [P, S2] }),
      rfc5780,
      [],
      [
        ['filtering-1 filtering -> 192.0.2.1:3478', 'hairpin hairpin -> 203.0.113.5:40000'],
        ['filtering-2 filtering -> 192.0.2.1:3478 change ip+port accept 192.0.2.2:3479|192.0.2.1:3478', 'filtering-3 filtering -> 192.0.2.1:3478 change port accept 192.0.2.1:3479|192.0.2.1:3478'],
        ['mapping-2 mapping -> 192.0.2.2:3478', 'mapping-3 mapping -> 192.0.2.2:3479']
      ],
      []
    ],
    [
      'IPv6: the same plan, IPv6 addresses',
      plan({ family: 6, candidates: [P6] }),
      { 'mapping-1': { mapped: ME6, otherAddress: O6 }, 'filtering-1': { mapped: ME6, otherAddress: O6 }, 'mapping-2': { mapped: ME6 } },
      [],
      [
        ['mapping-1 mapping -> [2001:db8::1]:3478', 'filtering-1 filtering -> [2001:db8::1]:3478'],
        [
          'filtering-2 filtering -> [2001:db8::1]:3478 change ip+port accept [2001:db8::2]:3479|[2001:db8::1]:3478',
          'filtering-3 filtering -> [2001:db8::1]:3478 change port accept [2001:db8::1]:3479|[2001:db8::1]:3478',
          'hairpin hairpin -> [2001:db8:ffff::5]:40000'
        ],
        ['mapping-2 mapping -> [2001:db8::2]:3478', 'mapping-3 mapping -> [2001:db8::2]:3479']
      ],
      []
    ],
    [
      'silent UDP: the TCP connect once its time has come; no hairpin without a mapping',
      plan(),
      {},
      ['tcp-connect'],
      [['mapping-1 mapping -> 192.0.2.1:3478', 'filtering-1 filtering -> 192.0.2.1:3478', 'tcp-connect tcp -> 192.0.2.1:3478']],
      [
        'filtering-2: no usable OTHER-ADDRESS from filtering-1',
        'filtering-3: no usable OTHER-ADDRESS from filtering-1',
        'hairpin: no mapped address from mapping-1',
        'mapping-2: no usable OTHER-ADDRESS from mapping-1',
        'mapping-3: no usable OTHER-ADDRESS from mapping-1'
      ]
    ]
  ])('%s', (_name, p, answers, due, waves, skipped) => {
    const sim = simulate(p, answers, due)
    expect(sim.waves).toEqual(waves)
    expect(sim.skipped).toEqual(skipped)
    expect(sim.finished).toBe(true)
  })

  it('the hairpin test is in the plan only when asked for', () => {
    expect(plan().steps.map((s) => s.test)).toContain('hairpin')
    expect(plan({ hairpin: false }).steps.map((s) => s.test)).not.toContain('hairpin')
  })

  it('the TCP fallback is skipped once UDP answered, and never lengthens a run', () => {
    const p = plan({ hairpin: false })
    // Its time comes after test I was answered.
    const answers = new Map<NatTestName, Answer>([['mapping-1', { mapped: ME }]])
    const state = { primary: P, server2: null, answers, settled: new Set<NatTestName>(['mapping-1']), started: new Set<NatTestName>(['filtering-1']), due: new Set<NatTestName>(['tcp-connect']) }
    expect(nextSteps(p, state).map((d) => ('skip' in d ? `${d.step.test}: ${d.skip}` : d.step.test))).toEqual(['tcp-connect: mapping-1 was answered'])
    // Not yet due when everything else settled: the run is over without it.
    const early = simulate(p, { 'mapping-1': { mapped: ME } })
    expect(early.waves.flat().some((w) => w.startsWith('tcp-connect'))).toBe(false)
    expect(early.finished).toBe(true)
  })

  it('budgets: who gives up when, and which RTO estimator each step feeds', () => {
    const p = plan({ server2: S2, timing: { ...DEFAULT_NAT_TIMING, firstAnswerMs: 1500 } })
    const table = Object.fromEntries(p.steps.map((s) => [s.test, { ...s.budget, ...(s.atMs !== undefined ? { atMs: s.atMs } : {}), ...(s.stopWhenUdpBlocked ? { stopWhenUdpBlocked: true } : {}) }]))
    const first = { floorMs: 1500, rtts: 0 }
    const quiet = { floorMs: 250, rtts: 4 }
    expect(table).toEqual({
      'mapping-1': { giveUp: first, transmissions: 7, rto: 'shared', spread: 'rto', retry: 'server-answers', stopWhenUdpBlocked: true },
      'filtering-1': { giveUp: first, transmissions: 7, rto: 'shared', spread: 'rto', retry: 'server-answers', stopWhenUdpBlocked: true },
      'mapping-server2': { giveUp: first, transmissions: 7, rto: 'own', stopWhenUdpBlocked: true },
      // Silence reads as "filtered": seven transmissions spread over the quiet window, and a second window on a lossy path.
      'filtering-2': { giveUp: first, stopAfter: quiet, transmissions: 7, rto: 'shared', spread: 'stopAfter', retry: 'loss' },
      'filtering-3': { giveUp: first, stopAfter: quiet, transmissions: 7, rto: 'shared', spread: 'stopAfter', retry: 'loss' },
      hairpin: { giveUp: quiet, rto: 'shared' },
      'mapping-2': { giveUp: { floorMs: 600, rtts: 8 }, transmissions: 7, rto: 'shared', spread: 'rto', retry: 'server-answers' },
      'mapping-3': { giveUp: { floorMs: 600, rtts: 8 }, transmissions: 7, rto: 'shared', spread: 'rto', retry: 'server-answers' },
      'tcp-connect': { giveUp: first, transmissions: 1, atMs: 100 }
    })
    // Picking among candidates: test I on each candidate's own socket and RTO, not stopped by TCP.
    expect(plan({ candidates: [P, S2] }).steps[0]).toMatchObject({ test: 'mapping-1', byPick: true, budget: { rto: 'own' } })
  })

  it('waits follow the measured round trip above their floor', () => {
    expect(waitMs({ floorMs: 250, rtts: 4 }, undefined)).toBe(250)
    expect(waitMs({ floorMs: 250, rtts: 4 }, 10)).toBe(250)
    expect(waitMs({ floorMs: 250, rtts: 4 }, 100)).toBe(400)
    expect(waitMs({ floorMs: 600, rtts: 8 }, 100)).toBe(800)
  })

  it('names addresses that only replies tell', () => {
    const state = { primary: P, server2: null, answers: new Map<NatTestName, Answer>([['mapping-1', { mapped: ME, otherAddress: O }]]) }
    expect(resolveTarget({ kind: 'other', of: 'mapping-1', part: 'ip' }, state)).toEqual({ address: O.address, port: P.port })
    expect(resolveTarget({ kind: 'other', of: 'mapping-1', part: 'port' }, state)).toEqual({ address: P.address, port: O.port })
    expect(resolveTarget({ kind: 'other', of: 'filtering-1', part: 'ip-and-port' }, state)).toBeUndefined()
    expect(resolveTarget({ kind: 'mapped', of: 'mapping-1' }, state)).toEqual(ME)
    expect(resolveTarget({ kind: 'server2' }, state)).toBeUndefined()
  })

  it('mapping lifetime rides along when asked for', () => {
    expect(plan().lifetimeStepsS).toBeNull()
    expect(plan({ lifetimeStepsS: [1, 2, 5] }).lifetimeStepsS).toEqual([1, 2, 5])
  })
})
