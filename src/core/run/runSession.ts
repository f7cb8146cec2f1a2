import { PeerSession } from '../peer/orchestrator'
import { installWeriftPatches } from '../werift/patches'
import { isMdnsName } from '../../shared/protocol/candidateLine'
import type { SignalChannel } from '../signaling/channel'
import type { IceOptions } from '../peer/iceConfig'
import { describeSide, acceptPeerSide } from '../report/side'
import { buildReport } from '../report/build'
import type { CandidateInfo, CandidateRef, Role, SessionResult } from '../../shared/session'
import { SessionPortMapper } from '../portmap/session'
import type { RunEvent } from '../../shared/run'
import type { NatResult } from '../../shared/nat'
import type { Exclusions } from '../peer/attempt'
import { discoverNat } from '../nat/discover'
import { SessionDoubleNat } from '../nat/doubleNat'
import { probeServers, turnTcpEndpoints } from '../servercheck/serverProbe'
import { collectSystemFacts } from '../sysinfo/index'
import type { SideExtras } from '../report/side'
import type { PathMtu, Report, SystemFacts } from '../../shared/report'
import { probePathMtu } from '../net/pathMtu'
import type { SessionNetwork, SessionStun } from '../../shared/report'
import { honestVerdict, meshExclusions, signalingRoute } from './meshRules'

export interface RunOutcome {
  result: SessionResult
  report: Report
}

export type Emit = (event: RunEvent) => void

/** What the caller of a host or join run decides about the session, beyond where to signal. */
export interface RunSettings {
  ice: IceOptions
  timeoutMs: number
  emit: Emit
  signal?: AbortSignal
  /** Discover this side's NAT behaviour toward the session's STUN server(s) (default true). */
  nat?: boolean
  exclude?: Exclusions
  /** UDP ports to test outside WebRTC (the host names them; the joiner follows the host's list). */
  portTests?: number[]
  /** Bytes each way per path for the throughput test (host; 0: off; default 4 MiB). */
  throughputBytes?: number
  /** Seconds for the whole throughput measurement, both paths both ways (host; default 8). */
  measureSeconds?: number
  /** Why the measurement is off when throughputBytes is 0 (the app: "turned off in Settings"). */
  throughputOff?: string
  /** Ask the gateway for a UDP mapping of the ICE socket (UPnP IGD, NAT-PMP, PCP), deleted at the end. */
  portMapping?: boolean
  /** Keep VPN-like interfaces (wt*, wg*, 100.64.0.0/10...) in ICE; by default they are left out (docs/diagnosis.md). */
  includeVpn?: boolean
  /** Contact no third party: without --stun, only the signaling server's own STUN responder. */
  offline?: boolean
  /** RFC 5780 servers the user configured for NAT checks (the app's): session NAT discovery asks them too. */
  extraNatServers?: string[]
}

export interface SessionRunOptions extends RunSettings {
  role: Role
  channel: SignalChannel
  name: string
  /** The signaling room, for the report (its id only). */
  room?: string
  /** Which STUN servers were chosen and contacted (stunChoice.ts), for the report. */
  stun?: SessionStun
  /** The servers NAT discovery asks: all at once, the first RFC 5780 answer wins (default: the ICE STUN servers). */
  natServers?: string[]
  /** The signaling server's URL, or 'embedded': the report says which interface carried signaling. */
  signalingServer?: string
}

/**
 * NAT discovery toward the session's STUN servers and `extra` ones (the public list, the app's NAT
 * servers): all are asked at once and the first RFC 5780 answer wins, so a session gets both NAT
 * types whenever one such server is reachable. The ICE servers' second is the two-server fallback.
 */
export function natDiscovery(ice: IceOptions, extra: string[] = []): () => Promise<NatResult | null> {
  const v4 = ice.stun.filter((u) => !isV6Url(u))
  const [first, second] = v4.length ? v4 : ice.stun
  const list = [...new Set([first!, ...extra.filter((u) => !isV6Url(u))])]
  return () => discoverNat({ stun: list.length > 1 ? list : first!, ...(second && list.length === 1 ? { stun2: second } : {}), timeoutMs: 1_500, tcpAlso: turnTcpEndpoints(ice.turn) })
}

const isV6Url = (u: string): boolean => /^stuns?:\[/.test(u)

/**
 * IPv6 NAT behaviour, when a STUN server with an IPv6 address is configured (werift's own STUN
 * traffic follows the first URL, whatever its family, so an IPv6 server is listed as an extra one).
 */
export function natDiscovery6(ice: IceOptions): (() => Promise<NatResult | null>) | undefined {
  const v6 = ice.stun.find(isV6Url)
  return v6 ? () => discoverNat({ stun: v6, family: 6, timeoutMs: 1_500 }) : undefined
}

/** How long this side's half may wait for its server probes and system facts before it is sent without them. */
const EXTRAS_WAIT_MS = 3_000
/** For this side's own report: the path MTU search may need a few more seconds of pings. */
const FINAL_EXTRAS_WAIT_MS = 12_000

/** The far end of a path in use can be pinged unless it is a relay or a name the browser hid. */
const probeable = (end: CandidateRef): boolean => end.type !== 'relay' && !isMdnsName(end.address)

/** Where to probe the path MTU: the other end of the path in use, unless that is a relay; else its public address. */
function mtuTarget(r: SessionResult): string | null {
  const remote = r.selectedPair?.remote
  if (remote && probeable(remote)) return remote.address
  const c = r.remoteCandidates.find((x) => x.type === 'srflx') ?? r.remoteCandidates.find((x) => x.type === 'host' && !isMdnsName(x.address))
  return c?.address ?? null
}

/** Runs one side's session to its end and builds the report holding both sides. */
export async function runSession(o: SessionRunOptions): Promise<RunOutcome> {
  // Probed beside the session: a TURN server that refuses us is the first thing to check when it relays or fails.
  const t0 = performance.now()
  installWeriftPatches()
  const servers = probeServers(o.ice).catch(() => undefined)
  void servers.then((probes) => probes && o.emit({ kind: 'servers', atMs: since(t0), probes }))
  const exclude = meshExclusions(o.exclude, o.includeVpn === true)
  const signaling = signalingRoute(o.signalingServer).catch(() => undefined)
  const network = async (): Promise<SessionNetwork> => {
    const via = await signaling
    // NAT discovery also contacts the user's NAT servers (the app's "Check my NAT" list).
    const stun = o.stun && o.nat !== false && o.extraNatServers?.length ? { ...o.stun, contacted: [...new Set([...o.stun.contacted, ...o.extraNatServers])] } : o.stun
    return { includeVpn: o.includeVpn === true, excludedInterfaces: exclude.interfaces ?? [], ...(via ? { signaling: via } : {}), ...(stun ? { stun } : {}) }
  }
  const discover6 = o.nat !== false ? natDiscovery6(o.ice) : undefined
  const nat6 = discover6 ? discover6().catch(() => null) : undefined
  let system: Promise<SystemFacts | undefined> | undefined
  let mtu: Promise<PathMtu | undefined> | undefined
  const extras = async (r: SessionResult, waitMs = EXTRAS_WAIT_MS): Promise<SideExtras> => {
    // The route toward the other side's addresses is what a routing problem shows up in; the selected
    // pair's remote end first, as the summary shows the route the session used.
    const toward = [...(r.selectedPair ? [r.selectedPair.remote.address] : []), ...r.remoteCandidates.map((c) => c.address)]
    system ??= collectSystemFacts([...new Set(toward)].slice(0, 8)).catch(() => undefined)
    mtu ??= probePathMtu(mtuTarget(r)).catch(() => undefined)
    const [probes, facts, pathMtu, v6, net] = await Promise.all([within(servers, waitMs), within(system, waitMs), within(mtu, waitMs), nat6 ? within(nat6, waitMs) : undefined, network()])
    return { ...(probes ? { servers: probes } : {}), ...(facts ? { system: facts } : {}), ...(pathMtu ? { pathMtu } : {}), ...(v6 !== undefined ? { nat6: v6 } : {}), network: net }
  }
  const mapper = o.portMapping ? new SessionPortMapper() : undefined
  // Double NAT: a few hops toward the STUN server NAT discovery answered from, as `peerlens nat` does.
  const doubleNat = o.nat !== false ? new SessionDoubleNat() : undefined
  const withMapping = async (r: SessionResult, waitMs = EXTRAS_WAIT_MS): Promise<SessionResult> => {
    mapper?.notePath(r.selectedPair?.local ?? null)
    const pm = mapper?.result()
    const nat = pm && r.nat ? { ...r.nat, portMapping: pm } : r.nat
    const double = await doubleNat?.judge(nat, waitMs)
    return nat && (pm || double) ? { ...r, nat: { ...nat, ...(double ? { doubleNat: double } : {}) } } : r
  }
  const session = new PeerSession({
    role: o.role,
    channel: o.channel,
    ice: o.ice,
    timeoutMs: o.timeoutMs,
    name: o.name,
    describeSide: async (r) => {
      const [mine, more] = await Promise.all([withMapping(r).then(honestVerdict), extras(r)])
      return describeSide(mine, o.name, more)
    },
    ...(mapper ? { mapCandidate: (c: CandidateInfo) => mapper.candidateFor(c) } : {}),
    ...(doubleNat && o.ice.stun.length ? { discoverNat: doubleNat.watch(natDiscovery(o.ice, [...(o.natServers ?? []), ...(o.extraNatServers ?? [])])) } : {}),
    exclude,
    ...(o.portTests?.length ? { portTests: o.portTests } : {}),
    ...(o.throughputBytes !== undefined ? { throughputBytes: o.throughputBytes } : {}),
    ...(o.measureSeconds !== undefined ? { measureSeconds: o.measureSeconds } : {}),
    ...(o.throughputOff ? { throughputOff: o.throughputOff } : {})
  })
  const unlisten = session.on(o.emit)
  // Start the path MTU search as soon as a path is in use: silent destinations cost it seconds.
  const offMtu = session.on((e) => {
    if (e.kind !== 'selected-pair' || mtu) return
    if (probeable(e.pair.remote)) mtu = probePathMtu(e.pair.remote.address).catch(() => undefined)
  })
  const abort = (): void => void session.close('interrupted')
  o.signal?.addEventListener('abort', abort)
  try {
    const result = await honestVerdict(await session.run())
    const portTests = await session.runPortTests()
    await mapper?.close()
    // Events from closing down come after the result: nobody listens to them.
    unlisten()
    const peerSide = acceptPeerSide(session.peerSide, o.role === 'host' ? 'join' : 'host')
    const [mine, more] = await Promise.all([withMapping(result, FINAL_EXTRAS_WAIT_MS), extras(result, FINAL_EXTRAS_WAIT_MS)])
    const report = buildReport(result, describeSide(mine, o.name, more), peerSide, new Date(), {
      ...(o.room ? { room: o.room } : {}),
      ...(portTests.length ? { portTests } : {})
    })
    return { result, report }
  } finally {
    unlisten()
    offMtu()
    o.signal?.removeEventListener('abort', abort)
    await session.close()
    // The mapping goes whatever happened: failure, timeout, interruption.
    await mapper?.close()
  }
}

/** The promise's value, or undefined when it takes longer than `ms`. */
function within<T>(promise: Promise<T | undefined>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms)
    void promise.then((v) => {
      clearTimeout(timer)
      resolve(v)
    })
  })
}

/** Milliseconds since `t0`, for events emitted outside a session. */
export function since(t0: number): number {
  return Math.round(performance.now() - t0)
}
