import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { agentFamilies } from '../../../src/core/metrics/agent'
import { exposition } from '../../../src/core/metrics/exposition'
import type { PairRecord } from '../../../src/shared/mesh/record'

const HAVE_PROMTOOL = spawnSync('promtool', ['--version']).status === 0

const rec = (peer: string, verdict: string, rttMs: number | null): PairRecord => ({
  kind: 'pair',
  at: '2026-01-01T00:00:10.400Z',
  self: 'alice',
  peer,
  role: 'host',
  verdict,
  reason: 'r',
  prediction: null,
  rttMs,
  nat: { self: 'port-restricted-cone', peer: verdict === 'relayed' ? 'symmetric' : null },
  publicAddress: { self: null, peer: null },
  findings: [],
  trigger: 'interval'
})

describe('agent metrics', () => {
  const text = exposition(
    agentFamilies({
      latest: new Map([
        ['carol', rec('carol', 'relayed', 42)],
        ['bob', rec('bob', 'direct', null)]
      ]),
      pathChanges: new Map([['carol', 2]]),
      members: 3,
      tests: { ok: 5, failed: 1 }
    })
  )

  it('has one path sample per kind and peer, 1 for the current one; RTT in seconds; NAT types as info', () => {
    expect(text).toMatch(/^peerlens_peer_path\{peer="bob",path="direct"\} 1$/m)
    expect(text).toMatch(/^peerlens_peer_path\{peer="bob",path="relayed"\} 0$/m)
    expect(text).toMatch(/^peerlens_peer_path\{peer="carol",path="relayed"\} 1$/m)
    expect(text.match(/^peerlens_peer_path\{/gm)!.length).toBe(8)
    expect(text).toMatch(/^peerlens_peer_rtt_seconds\{peer="carol"\} 0\.042$/m)
    expect(text).not.toMatch(/^peerlens_peer_rtt_seconds\{peer="bob"\}/m)
    expect(text).toMatch(/^peerlens_peer_path_changes_total\{peer="bob"\} 0$/m)
    expect(text).toMatch(/^peerlens_peer_path_changes_total\{peer="carol"\} 2$/m)
    expect(text).toMatch(/^peerlens_peer_nat_info\{peer="carol",nat="symmetric",self_nat="port-restricted-cone"\} 1$/m)
    expect(text).toMatch(/^peerlens_peer_nat_info\{peer="bob",nat="unknown",self_nat="port-restricted-cone"\} 1$/m)
    expect(text).toMatch(/^peerlens_peer_last_test_timestamp_seconds\{peer="bob"\} 1767225610$/m)
    expect(text).toMatch(/^peerlens_agent_tests_total\{result="failed"\} 1$/m)
  })

  it.skipIf(!HAVE_PROMTOOL)('passes promtool check metrics', () => {
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
    expect(lint.status, lint.stdout + lint.stderr).toBe(0)
    expect((lint.stdout + lint.stderr).trim()).toBe('')
  })
})
