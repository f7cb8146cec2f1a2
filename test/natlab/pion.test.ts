// A joiner built on another WebRTC stack: pion/webrtc v3 (Netbird's), from test/pion, against a
// `peerlens host` behind real NATs. It sends a bare hello, candidates with sdpMid "" (or none at all,
// every candidate in its answer), and answers the probe's pings: the host must still get the verdict right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLab, labUnavailable, type Lab, type NatKind } from './lab'
import { buildPion, startHost, startSignal } from './pair'
import { tempDir } from '../helpers/tempDir'

const unavailable = await labUnavailable()
const dir = tempDir('pion')
const pion = unavailable ? { skip: unavailable } : await buildPion(dir)
const skip = 'skip' in pion ? pion.skip : undefined

interface Case {
  host: NatKind
  join: NatKind
  verdict: 'direct' | 'relayed'
  noTrickle?: boolean
}

const CASES: Case[] = [
  { host: 'port-restricted', join: 'port-restricted', verdict: 'direct' },
  { host: 'port-restricted', join: 'port-restricted', verdict: 'direct', noTrickle: true },
  { host: 'full-cone', join: 'symmetric', verdict: 'direct' },
  { host: 'symmetric', join: 'symmetric', verdict: 'relayed' }
]

describe.skipIf(!!skip)(`a pion v3 joiner through the NAT lab${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  const hosts = new Map<string, string>()

  beforeAll(async () => {
    lab = await createLab()
    for (const c of CASES) {
      for (const [side, kind] of [['h', c.host], ['j', c.join]] as const) {
        if (!hosts.has(`${side}-${kind}`)) hosts.set(`${side}-${kind}`, (await lab.addHost(kind, `${side}-${kind}`)).ns)
      }
    }
    await startSignal(lab)
  }, 120_000)
  afterAll(() => lab?.teardown(), 60_000)

  it.for(CASES)('host $host, pion joiner $join (no trickle: $noTrickle): $verdict', { timeout: 120_000 }, async (c) => {
    const bin = (pion as { bin: string }).bin
    const turn = ['--turn', lab.turn.url, '--turn-user', lab.turn.username, '--turn-pass', lab.turn.credential]
    const report = join(dir, `${c.host}-${c.join}-${c.noTrickle ? 'sdp' : 'trickle'}.json`)
    const host = await startHost(lab, hosts.get(`h-${c.host}`)!, report, ['--stun', lab.stun.url, ...turn])
    const args = ['-stun', lab.stun.url, '-turn', lab.turn.url, '-turn-user', lab.turn.username, '-turn-pass', lab.turn.credential, '-timeout', '45s', ...(c.noTrickle ? ['-no-trickle'] : []), host.invite]
    const joined = await lab.exec(hosts.get(`j-${c.join}`)!, bin, args, { timeoutMs: 60_000 })
    const hostCode = await host.exit
    const r = JSON.parse(readFileSync(report, 'utf8'))
    const context = `${r.connection.reason}\n--- host ---\n${host.stderr().slice(-3000)}\n--- pion ---\n${joined.stdout}\n${joined.stderr.slice(-3000)}`
    expect(r.connection.verdict, context).toBe(c.verdict)
    expect(hostCode, context).toBe(0)
    expect(joined.code, context).toBe(0)
    // Nothing it sent was refused, and its bare hello was read as one.
    const host0 = r.sides[0]
    expect(host0.candidates.remote.filter((x: { refused?: string }) => x.refused), context).toEqual([])
    expect(host0.events.filter((e: { kind: string; message?: string }) => e.kind === 'error' && /refused/.test(e.message ?? ''))).toEqual([])
    expect(host0.candidates.remote.length, context).toBeGreaterThan(0)
    const selected = r.connection.selectedPair
    expect(selected.local.type === 'relay' || selected.remote.type === 'relay').toBe(c.verdict === 'relayed')
    // The path was measured over pion's data channel (it answers pings).
    expect(r.paths?.[c.verdict === 'direct' ? 'direct' : 'relay']?.rtt?.p50Ms, context).toBeGreaterThan(0)
    const connected = Number(/^connected (\d+)/m.exec(joined.stdout)?.[1])
    expect(connected, context).toBeGreaterThan(0)
    console.log(`pion joiner ${c.join} <- host ${c.host}${c.noTrickle ? ' (no trickle)' : ''}: ${c.verdict}, data channel open ${connected} ms after its start`)
  })
})
