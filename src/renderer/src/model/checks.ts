// The checks beside the connection: STUN/TURN server probes, UDP port tests, path MTU.
import type { PathMtu, ServerProbe, SideReport, UdpPortTest } from '../../../shared/report'
import { hostPort, msMeasured as ms } from '../../../shared/format'
import { mtuLevel } from '../../../shared/diagnosis/mtu'
import type { LiveSession } from './liveSession'

export interface CheckRow {
  key: string
  what: string
  ok: boolean | null
  result: string
  detail: string
}

export function serverRows(probes: ServerProbe[]): CheckRow[] {
  return probes.map((p, i) => ({
    key: `server-${i}-${p.url}`,
    what: `${p.kind.toUpperCase()} ${p.url} (${p.transport})`,
    ok: p.reachable && !p.error,
    result: p.reachable ? `reachable, ${ms(p.rttMs)}` : 'unreachable',
    detail: [
      p.mapped ? `our address ${hostPort(p.mapped.address, p.mapped.port)}` : '',
      p.relay ? `relay ${hostPort(p.relay.address, p.relay.port)}` : '',
      p.error ? `${p.error.code ? `${p.error.code}: ` : ''}${p.error.reason}` : ''
    ]
      .filter(Boolean)
      .join('; ')
  }))
}

export function portRows(tests: UdpPortTest[]): CheckRow[] {
  return tests.map((t) => ({
    key: `port-${t.port}`,
    what: `UDP port ${t.port}`,
    ok: t.reachable,
    result: t.reachable ? 'reachable both ways' : 'not reachable',
    detail: [`host → join ${t.hostToJoin.received}/${t.hostToJoin.sent}`, `join → host ${t.joinToHost.received}/${t.joinToHost.sent}`, t.boundOn.length ? `already bound on ${t.boundOn.join(' and ')}` : '', t.reason]
      .filter(Boolean)
      .join('; ')
  }))
}

export function mtuRow(mtu: PathMtu | undefined): CheckRow[] {
  if (!mtu) return []
  return [
    {
      key: 'mtu',
      what: `Path MTU${mtu.toward ? ` toward ${hostPort(mtu.toward.address, mtu.toward.port)}` : ''}`,
      // A smaller MTU than Ethernet's still works (the report warns about it); below the IPv6 minimum it does not.
      ok: mtu.mtu === null ? null : mtuLevel(mtu.mtu) !== 'bad',
      result: mtu.mtu === null ? 'not measured' : `${mtu.mtu} bytes`,
      detail: [mtu.method, mtu.reason ?? ''].filter(Boolean).join('; ')
    }
  ]
}

/** Everything the Checks card lists for this side: live server probes, then the report's sections. */
export function checkRows(s: LiveSession): CheckRow[] {
  const own = s.report?.sides.find((side): side is SideReport => side.role === s.role && !side.missing)
  const servers = own?.servers ?? s.servers
  return [...serverRows(servers), ...portRows(s.report?.portTests ?? []), ...mtuRow(own?.pathMtu)]
}
