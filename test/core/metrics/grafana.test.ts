import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { agentFamilies } from '../../../src/core/metrics/agent'
import { SignalMetrics } from '../../../src/core/signaling/metrics'
import { Rooms } from '../../../src/core/signaling/rooms'
import { Groups } from '../../../src/core/signaling/groups'

// docs/grafana-peerlens.json: valid JSON, and every metric its queries name is one peerlens serves.

describe('the example Grafana dashboard', () => {
  it('queries only metrics the agent and the signaling server serve, and covers each of them', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../../docs/grafana-peerlens.json', import.meta.url), 'utf8')) as { panels: Array<{ type: string; targets?: Array<{ expr: string }> }> }
    const rooms = new Rooms()
    const groups = new Groups()
    const served = new Set([
      ...agentFamilies({ latest: new Map(), pathChanges: new Map(), members: 1, tests: { ok: 0, failed: 0 } }).map((f) => f.name),
      ...(await new SignalMetrics(rooms, groups).collect()).map((f) => f.name)
    ])
    rooms.close()
    groups.close()
    const queried = new Set(dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => t.expr.match(/peerlens_[a-z_]+/g) ?? [])))
    expect([...queried].filter((m) => !served.has(m))).toEqual([])
    expect([...served].filter((m) => !queried.has(m))).toEqual([])
  })
})
