// A hand-built report with every section filled, fixed timestamps, and public addresses (for the
// golden files and the redaction tests). The story is the seed's: the NAT types allow direct, yet
// the joiner's route toward the host goes into its Netbird tunnel and the session relays.
import type { CandidateInfo, PairInfo, SessionEvent } from '../../../src/shared/session'
import type { NatResult } from '../../../src/shared/nat'
import type { Report, SideReport } from '../../../src/shared/report'
import { mergeTimeline } from '../../../src/core/report/build'

export const PUBLIC = {
  hostSrflx: '81.2.69.142',
  joinSrflx: '93.184.216.34',
  turn: '81.2.69.160',
  stun: '81.2.69.161',
  hostV6: '2a02:8070:1234::20'
}

function cand(type: CandidateInfo['type'], address: string, port: number, atMs: number, extra: Partial<CandidateInfo> = {}): CandidateInfo {
  const priority = { host: 2130706431, srflx: 1694498815, prflx: 1862270975, relay: 16777215 }[type] - port
  return { type, protocol: 'udp', address, port, priority, foundation: `${type}${port}`, component: 1, atMs, ...extra }
}

function pair(local: CandidateInfo, remote: CandidateInfo, history: PairInfo['history'], extra: Partial<PairInfo> = {}): PairInfo {
  const ref = (c: CandidateInfo) => ({ type: c.type, protocol: c.protocol, address: c.address, port: c.port })
  return {
    id: `${local.address}:${local.port}/udp-${remote.address}:${remote.port}`,
    local: ref(local),
    remote: ref(remote),
    state: history[history.length - 1]!.state,
    nominated: false,
    requestsSent: history.length * 3,
    responsesReceived: history.some((h) => h.state === 'succeeded') ? 3 : 0,
    history,
    ...extra
  }
}

function nat(mapped: string, mapping: NatResult['mapping'], filtering: NatResult['filtering'], classic: NatResult['classic'], reason: string, local: string): NatResult {
  return {
    family: 4,
    mapping,
    filtering,
    classic,
    reason,
    method: 'rfc5780',
    local: { address: local, port: 41000 },
    mapped: { address: mapped, port: 41000 },
    server: { address: PUBLIC.stun, port: 3478 },
    otherAddress: { address: '81.2.69.162', port: 3479 },
    portPreserved: true,
    hairpin: false,
    serverReach: 'udp',
    durationMs: 412,
    rttMs: 18.4,
    tests: [
      { name: 'mapping-1', target: { address: PUBLIC.stun, port: 3478 }, result: 'reply', mapped: { address: mapped, port: 41000 }, from: { address: PUBLIC.stun, port: 3478 }, ms: 18, attempts: 1 },
      { name: 'filtering-2', target: { address: PUBLIC.stun, port: 3478 }, change: { ip: true, port: true }, result: 'timeout', mapped: null, from: null, ms: 300, attempts: 3 }
    ],
    ignored: []
  }
}

const hostLocal = [cand('host', '192.168.1.20', 50000, 210), cand('host', PUBLIC.hostV6, 50002, 211), cand('srflx', PUBLIC.hostSrflx, 50000, 240, { relatedAddress: { address: '192.168.1.20', port: 50000 }, server: `${PUBLIC.stun}:3478` }), cand('relay', PUBLIC.turn, 49152, 320, { relatedAddress: { address: PUBLIC.hostSrflx, port: 50000 }, server: `turn:${PUBLIC.turn}:3478?transport=udp` })]
const joinLocal = [cand('host', '10.20.0.15', 40000, 190), cand('host', '100.92.14.3', 40001, 191), cand('srflx', PUBLIC.joinSrflx, 61234, 260, { relatedAddress: { address: '10.20.0.15', port: 40000 }, server: `${PUBLIC.stun}:3478` }), cand('relay', PUBLIC.turn, 49200, 350, { relatedAddress: { address: PUBLIC.joinSrflx, port: 61234 }, server: `turn:${PUBLIC.turn}:3478?transport=udp` })]

function pairsFor(local: CandidateInfo[], remote: CandidateInfo[], offset: number): PairInfo[] {
  const [lh, , ls, lr] = local as [CandidateInfo, CandidateInfo, CandidateInfo, CandidateInfo]
  const [rh, , rs, rr] = remote as [CandidateInfo, CandidateInfo, CandidateInfo, CandidateInfo]
  return [
    pair(lh, rh, [{ state: 'waiting', atMs: 400 + offset }, { state: 'in-progress', atMs: 420 + offset }, { state: 'failed', atMs: 5400 + offset }]),
    pair(ls, rs, [{ state: 'waiting', atMs: 410 + offset }, { state: 'in-progress', atMs: 450 + offset }, { state: 'failed', atMs: 5450 + offset }]),
    pair(lr, rr, [{ state: 'waiting', atMs: 430 + offset }, { state: 'in-progress', atMs: 470 + offset }, { state: 'succeeded', atMs: 520 + offset }], { nominated: true, rttMs: 41.2 })
  ]
}

function events(role: 'host' | 'join', local: CandidateInfo[], remote: CandidateInfo[], pairs: PairInfo[]): SessionEvent[] {
  const sel = { local: pairs[2]!.local, remote: pairs[2]!.remote }
  const list: SessionEvent[] = [
    { kind: 'phase', atMs: 0, phase: 'signaling' },
    { kind: 'signal', atMs: 12, direction: role === 'host' ? 'in' : 'out', type: 'hello' },
    { kind: 'peer-hello', atMs: 14, name: role === 'host' ? 'bob-laptop' : 'alice-laptop', version: '0.1.0', features: ['report-half', 'nat'] },
    { kind: 'phase', atMs: 150, phase: 'gathering' },
    ...local.map((c): SessionEvent => ({ kind: 'local-candidate', atMs: c.atMs, candidate: c })),
    ...remote.map((c): SessionEvent => ({ kind: 'remote-candidate', atMs: c.atMs + 40, candidate: { ...c, atMs: c.atMs + 40 } })),
    { kind: 'ice-state', atMs: 400, state: 'checking' },
    { kind: 'phase', atMs: 400, phase: 'checking' },
    ...pairs.map((p): SessionEvent => ({ kind: 'pair', atMs: p.history[p.history.length - 1]!.atMs, pair: p })),
    { kind: 'ice-state', atMs: 530, state: 'connected' },
    { kind: 'selected-pair', atMs: 530, pair: sel },
    { kind: 'channel-open', atMs: 610 },
    { kind: 'probe', atMs: 660, rttMs: 41.2 },
    { kind: 'phase', atMs: 660, phase: 'connected' },
    { kind: 'phase', atMs: 5600, phase: 'done', detail: 'the selected pair goes through a TURN relay (relay candidate on both sides)' }
  ]
  return list.sort((a, b) => a.atMs - b.atMs)
}

const hostPairs = pairsFor(hostLocal, joinLocal, 0)
const joinPairs = pairsFor(joinLocal, hostLocal, 15)

const host: SideReport = {
  role: 'host',
  name: 'alice-laptop',
  app: { name: 'peerlens', version: '0.1.0' },
  os: { platform: 'linux', release: '6.12.48-1-amd64', arch: 'x64' },
  startedAt: '2026-11-25T09:00:00.000Z',
  verdict: 'relayed',
  reason: 'the selected pair goes through a TURN relay (relay candidate on both sides)',
  selectedPair: { local: hostPairs[2]!.local, remote: hostPairs[2]!.remote },
  rttMs: 41.2,
  connectedAfterMs: 660,
  candidates: { local: hostLocal, remote: joinLocal.map((c) => ({ ...c, atMs: c.atMs + 40 })) },
  pairs: hostPairs,
  events: events('host', hostLocal, joinLocal, hostPairs),
  nat: nat(PUBLIC.hostSrflx, 'endpoint-independent', 'address-and-port-dependent', 'port-restricted-cone', 'the mapping stays the same toward every destination; only the exact endpoint we sent to may answer', '192.168.1.20'),
  nat6: null,
  servers: [
    { url: `stun:${PUBLIC.stun}:3478`, kind: 'stun', transport: 'udp', resolved: { address: PUBLIC.stun, port: 3478 }, reachable: true, rttMs: 18.4, mapped: { address: PUBLIC.hostSrflx, port: 50000 } },
    { url: `turn:${PUBLIC.turn}:3478?transport=udp`, kind: 'turn', transport: 'udp', resolved: { address: PUBLIC.turn, port: 3478 }, reachable: true, rttMs: 20.1, mapped: { address: PUBLIC.hostSrflx, port: 50000 }, relay: { address: PUBLIC.turn, port: 49152 }, lifetimeS: 600 }
  ],
  pathMtu: { toward: { address: PUBLIC.joinSrflx, port: 61234 }, mtu: 1500, method: 'IP_PMTUDISC_PROBE, UDP probes 1200-1500' },
  system: {
    collectedAt: '2026-11-25T09:00:05.700Z',
    platform: 'linux',
    durationMs: 48,
    interfaces: [
      { name: 'lo', up: true, mtu: 65536, internal: true, vpnLike: false, addresses: [{ address: '127.0.0.1', family: 4, prefixLength: 8 }] },
      { name: 'wlp2s0', up: true, mtu: 1500, internal: false, vpnLike: false, addresses: [{ address: '192.168.1.20', family: 4, prefixLength: 24 }, { address: PUBLIC.hostV6, family: 6, prefixLength: 64 }] }
    ],
    routes: [{ destination: PUBLIC.joinSrflx, ok: true, command: `ip -j route get ${PUBLIC.joinSrflx}`, interface: 'wlp2s0', gateway: '192.168.1.1', source: '192.168.1.20', mtu: null, vpnLike: false }],
    defaultGateways: [{ address: '192.168.1.1', interface: 'wlp2s0', family: 4 }],
    vpn: [],
    errors: []
  }
}

const join: SideReport = {
  role: 'join',
  name: 'bob-laptop',
  app: { name: 'peerlens', version: '0.1.0' },
  os: { platform: 'darwin', release: '24.6.0', arch: 'arm64' },
  startedAt: '2026-11-25T09:00:00.120Z',
  // Bob's clock runs 250 ms ahead of Alice's: the merged timeline takes it off.
  clockOffsetMs: 250,
  clockOffsetErrorMs: 21,
  verdict: 'relayed',
  reason: 'the selected pair goes through a TURN relay (relay candidate on both sides)',
  selectedPair: { local: joinPairs[2]!.local, remote: joinPairs[2]!.remote },
  rttMs: 40.8,
  connectedAfterMs: 675,
  candidates: { local: joinLocal, remote: hostLocal.map((c) => ({ ...c, atMs: c.atMs + 40 })) },
  pairs: joinPairs,
  events: events('join', joinLocal, hostLocal, joinPairs),
  nat: nat(PUBLIC.joinSrflx, 'endpoint-independent', 'endpoint-independent', 'full-cone', 'the mapping stays the same toward every destination and anyone may answer', '10.20.0.15'),
  nat6: null,
  servers: [{ url: `stun:${PUBLIC.stun}:3478`, kind: 'stun', transport: 'udp', resolved: { address: PUBLIC.stun, port: 3478 }, reachable: true, rttMs: 31.0, mapped: { address: PUBLIC.joinSrflx, port: 61234 } }],
  pathMtu: { toward: { address: PUBLIC.hostSrflx, port: 50000 }, mtu: 1280, method: 'IP_DONTFRAG, UDP probes 1200-1500', reason: 'packets above 1280 bytes were dropped: the route goes into wt0 (MTU 1280)' },
  system: {
    collectedAt: '2026-11-25T09:00:05.820Z',
    platform: 'darwin',
    durationMs: 120,
    interfaces: [
      { name: 'lo0', up: true, mtu: 16384, internal: true, vpnLike: false, addresses: [{ address: '127.0.0.1', family: 4, prefixLength: 8 }] },
      { name: 'en0', up: true, mtu: 1500, internal: false, vpnLike: false, addresses: [{ address: '10.20.0.15', family: 4, prefixLength: 16 }] },
      { name: 'wt0', up: true, mtu: 1280, internal: false, vpnLike: true, addresses: [{ address: '100.92.14.3', family: 4, prefixLength: 16 }] },
      { name: 'en5', up: false, mtu: 1500, internal: false, vpnLike: false, addresses: [] }
    ],
    routes: [
      { destination: PUBLIC.hostSrflx, ok: true, command: `route -n get ${PUBLIC.hostSrflx}`, interface: 'wt0', gateway: '100.92.0.1', source: null, mtu: 1280, vpnLike: true },
      { destination: '192.168.1.20', ok: false, command: 'route -n get 192.168.1.20', error: 'route -n get 192.168.1.20: timed out after 3000 ms' }
    ],
    defaultGateways: [{ address: '10.20.0.1', interface: 'en0', family: 4 }],
    vpn: [
      {
        tool: 'netbird',
        command: 'netbird status --json',
        ok: true,
        exitCode: 0,
        output: { management: { url: 'https://api.netbird.io:443', connected: true }, signal: { connected: true }, netbirdIp: '100.92.14.3/16', peers: { total: 1, connected: 1, details: [{ fqdn: 'alice-laptop.netbird.cloud', netbirdIp: '100.92.7.9', status: 'Connected', connectionType: 'Relayed', relayAddress: `rels://${PUBLIC.turn}:443`, iceCandidateEndpoint: { local: `${PUBLIC.joinSrflx}:51820`, remote: `${PUBLIC.hostSrflx}:51820` } }] }, routes: [`${PUBLIC.hostSrflx}/32`] }
      }
    ],
    errors: ['route -n get 192.168.1.20: timed out after 3000 ms']
  }
}

/** The fixture report: every optional section filled. */
export function fixtureReport(): Report {
  const sides: Report['sides'] = [structuredClone(host), structuredClone(join)]
  return {
    schema: 'peerlens.report/v1',
    app: { name: 'peerlens', version: '0.1.0' },
    createdAt: '2026-11-25T09:00:06.000Z',
    writtenBy: 'host',
    room: 'kUVrPBRwdTIr',
    sides,
    connection: {
      verdict: 'relayed',
      reason: 'the selected pair goes through a TURN relay (relay candidate on both sides)',
      selectedPair: structuredClone(host.selectedPair),
      rttMs: 41.2,
      connectedAfterMs: 660,
      verdictAfterMs: 661,
      measuredAfterMs: 2400,
      attempts: [
        { id: 'all', policy: 'all', startedAtMs: 150, outcome: 'abandoned', verdict: null, selectedPair: null, connectedAfterMs: null, rttMs: null, used: false, reason: 'no direct pair succeeded within 5 s (host and srflx pairs timed out)' },
        { id: 'relay', policy: 'relay', startedAtMs: 400, outcome: 'connected', verdict: 'relayed', selectedPair: structuredClone(host.selectedPair), connectedAfterMs: 660, rttMs: 41.2, used: true, reason: 'relay-only attempt connected' }
      ]
    },
    prediction: { verdict: 'direct', reason: 'the joiner\'s NAT is full-cone: the host\'s first packet gets through; expect a direct path' },
    paths: {
      direct: { path: 'direct', pair: null, probesSent: 0, probesReceived: 0, lossPercent: 100, rtt: null, jitterMs: null, throughput: null, error: 'no direct pair succeeded' },
      relay: {
        path: 'relay',
        pair: structuredClone(host.selectedPair),
        probesSent: 20,
        probesReceived: 19,
        lossPercent: 5,
        rtt: { minMs: 38.9, p50Ms: 41.0, p95Ms: 52.7, maxMs: 61.3 },
        jitterMs: 3.4,
        rttSamplesMs: [41.2, 40.1, 39.8, 41.0, 43.5, 38.9, 40.7, null, 41.9, 52.7, 61.3, 40.2, 40.9, 41.4, 39.9, 42.8, 40.6, 41.1, 44.0, 40.3],
        throughput: { hostToJoinBps: 1_175_000, joinToHostBps: 1_150_000, bytes: 4_194_304, hostToJoinMs: 2000, hostToJoinBytes: 2_350_000, joinToHostMs: 2000, joinToHostBytes: 2_300_000, windowMs: 2000, method: 'paced UDP train on the selected pair, receiver-timed windows' },
        dataChannel: { hostToJoinBps: 675_000, joinToHostBps: 387_500, bytes: 4_194_304, messageBytes: 65536, hostToJoinMs: 2000, hostToJoinBytes: 1_350_000, joinToHostMs: 2000, joinToHostBytes: 775_000, windowMs: 2000, method: 'data channel (werift SCTP), receiver-timed windows' },
        udp: {
          hostToJoin: {
            maxRateBps: 1_187_500,
            lossAtMaxPercent: 0.2,
            capacityBps: 1_212_500,
            steps: [
              { offeredBps: 625_000, deliveredBps: 625_000, sent: 521, received: 521, lossPercent: 0, ms: 200 },
              { offeredBps: 1_187_500, deliveredBps: 1_185_000, sent: 990, received: 988, lossPercent: 0.2, ms: 200 },
              { offeredBps: 2_500_000, deliveredBps: 1_212_500, sent: 2083, received: 1010, lossPercent: 51.5, ms: 200 }
            ]
          },
          joinToHost: {
            maxRateBps: 1_125_000,
            lossAtMaxPercent: 0.5,
            capacityBps: 1_200_000,
            steps: [
              { offeredBps: 625_000, deliveredBps: 625_000, sent: 521, received: 521, lossPercent: 0, ms: 200 },
              { offeredBps: 1_125_000, deliveredBps: 1_120_000, sent: 938, received: 933, lossPercent: 0.5, ms: 200 },
              { offeredBps: 2_500_000, deliveredBps: 1_200_000, sent: 2083, received: 1000, lossPercent: 52, ms: 200 }
            ]
          },
          packetBytes: 1200,
          method: 'paced UDP steps on the selected pair, one direction after the other'
        },
        jitter: { hostToJoinMs: 0.8, joinToHostMs: 1.1, method: 'RFC 3550 interarrival jitter of the echo train, receiver clock' }
      },
      overhead: { extraRttMs: null, throughputRatio: null }
    },
    portTests: [
      {
        port: 51820,
        reachable: false,
        hostToJoin: { target: { address: PUBLIC.joinSrflx, port: 51820 }, sent: 10, received: 0 },
        joinToHost: { target: { address: PUBLIC.hostSrflx, port: 51820 }, sent: 0, received: 0 },
        boundOn: ['join'],
        reason: 'port 51820 is already bound on the joiner (a running WireGuard owns it); host to joiner: 0 of 10 arrived'
      }
    ],
    timeline: mergeTimeline(sides)
  }
}
