// An agent's metrics (`peerlens agent --metrics-listen`): per peer the current path kind, RTT, path
// changes, NAT types and the last test time. Pure: built from the agent's latest records.
import type { Family } from './exposition'
import { PATH_KINDS, type PairRecord } from '../../shared/mesh/record'

export interface AgentMetricsState {
  latest: Map<string, PairRecord>
  pathChanges: Map<string, number>
  members: number
  tests: { ok: number; failed: number }
}

export function agentFamilies(s: AgentMetricsState): Family[] {
  const peers = [...s.latest.keys()].sort()
  const rec = (peer: string): PairRecord => s.latest.get(peer)!
  return [
    {
      name: 'peerlens_peer_path',
      help: 'The path kind of the latest test of each peer: 1 for the current kind, 0 for the others.',
      type: 'gauge',
      samples: peers.flatMap((peer) => PATH_KINDS.map((path) => ({ labels: { peer, path }, value: rec(peer).verdict === path ? 1 : 0 })))
    },
    {
      name: 'peerlens_peer_rtt_seconds',
      help: 'Round-trip time on the selected path of the latest test of each peer.',
      type: 'gauge',
      samples: peers.filter((p) => rec(p).rttMs !== null).map((peer) => ({ labels: { peer }, value: rec(peer).rttMs! / 1000 }))
    },
    {
      name: 'peerlens_peer_path_changes_total',
      help: 'Flips seen for each peer (path kind, NAT type or public address changed) since the agent started.',
      type: 'counter',
      samples: peers.map((peer) => ({ labels: { peer }, value: s.pathChanges.get(peer) ?? 0 }))
    },
    {
      name: 'peerlens_peer_nat_info',
      help: 'The NAT types (RFC 3489) of this agent and of each peer in the latest test; the value is always 1.',
      type: 'gauge',
      samples: peers.map((peer) => ({ labels: { peer, nat: rec(peer).nat.peer ?? 'unknown', self_nat: rec(peer).nat.self ?? 'unknown' }, value: 1 }))
    },
    {
      name: 'peerlens_peer_last_test_timestamp_seconds',
      help: 'When the latest test of each peer ended, in Unix seconds.',
      type: 'gauge',
      samples: peers.map((peer) => ({ labels: { peer }, value: Math.round(Date.parse(rec(peer).at) / 1000) }))
    },
    { name: 'peerlens_agent_group_members', help: 'Agents in this agent\'s group, itself included.', type: 'gauge', samples: [{ value: s.members }] },
    {
      name: 'peerlens_agent_tests_total',
      help: 'Pair tests this agent took part in, by result (ok: a verdict; failed: the session did not run to one).',
      type: 'counter',
      samples: [
        { labels: { result: 'failed' }, value: s.tests.failed },
        { labels: { result: 'ok' }, value: s.tests.ok }
      ]
    }
  ]
}
