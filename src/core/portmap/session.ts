// --port-mapping: during a session, ask the gateway for a UDP mapping of the ICE socket's port (NAT-PMP,
// then PCP, then UPnP IGD), offer the mapped address to the other side as one more candidate, and
// delete the mapping when the session ends, however it ends. Never throws: what happened is in result().
import type { CandidateInfo } from '../../shared/session'
import type { PortMappingResult } from '../../shared/nat'
import { natPmpMapUdp, pcpMapUdp, upnpMapUdp, type Mapping } from './clients'
import { discoverPortMapping, type PortMappingDiscovery } from './discover'

type SessionMapping = NonNullable<PortMappingResult['session']>

export interface SessionPortMapperOptions {
  gateway?: string
  /** Asked lifetime, seconds (default 600: a session never lasts that long; the mapping is deleted anyway). */
  lifetimeS?: number
  timeoutMs?: number
}

export class SessionPortMapper {
  private readonly discovery: Promise<PortMappingDiscovery>
  private mapping: Mapping | undefined
  private state: SessionMapping = { protocol: null, internal: null, external: null, used: null, removed: null, reason: 'no host candidate toward the gateway to map yet' }
  private discovered: PortMappingDiscovery | undefined
  private mapped: Promise<string | null> | undefined
  private closed = false

  constructor(private readonly options: SessionPortMapperOptions = {}) {
    this.discovery = discoverPortMapping({ gateway: options.gateway, timeoutMs: options.timeoutMs ?? 2000 }).then((d) => (this.discovered = d))
  }

  /**
   * For a local host candidate on the interface toward the gateway (IPv4, UDP): maps its port once and
   * returns the extra candidate line (typ srflx, raddr/rport the socket), else null.
   */
  candidateFor(c: CandidateInfo): Promise<string | null> {
    if (this.closed || this.mapped || c.type !== 'host' || c.protocol !== 'udp' || c.address.includes(':')) return Promise.resolve(null)
    this.mapped = this.map(c)
    return this.mapped
  }

  private async map(c: CandidateInfo): Promise<string | null> {
    const d = await this.discovery
    if (d.localAddress !== c.address) {
      this.mapped = undefined
      return null
    }
    const lifetimeS = this.options.lifetimeS ?? 600
    const timeoutMs = this.options.timeoutMs ?? 2000
    const r = d.result
    const why: string[] = []
    let m: Mapping | undefined
    if (r.natPmp.available) {
      const x = await natPmpMapUdp(r.gateway!, c.port, lifetimeS, timeoutMs, r.natPmp.externalAddress)
      if (x.ok) m = x.value
      else why.push(`NAT-PMP: ${x.reason}`)
    }
    if (!m && r.pcp.available && d.localAddress) {
      const x = await pcpMapUdp(r.gateway!, d.localAddress, c.port, lifetimeS, timeoutMs)
      if (x.ok) m = x.value
      else why.push(`PCP: ${x.reason}`)
    }
    if (!m && d.igd && d.localAddress) {
      const x = await upnpMapUdp(d.igd.service, d.localAddress, c.port, lifetimeS, timeoutMs, r.upnp.externalAddress)
      if (x.ok) m = x.value
      else why.push(`UPnP: ${x.reason}`)
    }
    const internal = { address: c.address, port: c.port }
    if (!m) {
      this.state = { ...this.state, internal, reason: why.length ? `no mapping: ${why.join('; ')}` : `no mapping: the gateway offers no port-mapping protocol (${r.upnp.reason})` }
      return null
    }
    this.mapping = m
    const external = m.externalAddress ?? r.externalAddress
    if (!external) {
      this.state = { ...this.state, protocol: m.protocol, internal, reason: `${m.protocol} mapped port ${m.externalPort}, but the gateway gave no external address to offer` }
      return null
    }
    this.state = { protocol: m.protocol, internal, external: { address: external, port: m.externalPort }, used: null, removed: null, reason: `mapped by ${label(m.protocol)}: ${external}:${m.externalPort} -> ${c.address}:${c.port}, offered as a candidate` }
    return `candidate:pm${m.externalPort} 1 udp 1694498815 ${external} ${m.externalPort} typ srflx raddr ${c.address} rport ${c.port}`
  }

  /** The path in use: whether its local end is the mapped socket (and it is not relayed). */
  notePath(local: { address: string; port: number; type: string } | null): void {
    const i = this.state.internal
    if (!this.state.external || !i) return
    this.state.used = local !== null && local.type !== 'relay' && local.address === i.address && local.port === i.port
  }

  /** Deletes the mapping (bounded); safe to call more than once. */
  async close(): Promise<void> {
    this.closed = true
    await this.mapped?.catch(() => null)
    await this.removeMapping()
  }

  private async removeMapping(): Promise<void> {
    const m = this.mapping
    if (!m) return
    this.mapping = undefined
    const r = await m.remove()
    this.state = { ...this.state, removed: r.ok, reason: r.ok ? `${this.state.reason}; deleted at the end` : `${this.state.reason}; deleting it failed: ${r.reason}` }
  }

  /** The discovery result with what happened in this session. */
  result(): PortMappingResult | undefined {
    return this.discovered ? { ...this.discovered.result, session: { ...this.state } } : undefined
  }
}

const label = (p: Mapping['protocol']) => (p === 'upnp' ? 'UPnP IGD' : p === 'nat-pmp' ? 'NAT-PMP' : 'PCP')
