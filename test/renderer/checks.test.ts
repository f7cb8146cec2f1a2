import { describe, expect, it } from 'vitest'
import { checkRows, mtuRow, portRows, serverRows } from '../../src/renderer/src/model/checks'
import { applyRunEvent, newSession, sessionFromReport } from '../../src/renderer/src/model/liveSession'
import type { ServerProbe } from '../../src/shared/report'
import { report } from './fixtures'

const TURN_BAD: ServerProbe = {
  url: 'turn:turn.example:3478',
  kind: 'turn',
  transport: 'udp',
  reachable: true,
  rttMs: 12,
  mapped: { address: '203.0.113.9', port: 40000 },
  relay: null,
  error: { code: 401, reason: '401 after credentials: wrong username or password' }
}
const STUN_OK: ServerProbe = { url: 'stun:stun.example:3478', kind: 'stun', transport: 'udp', reachable: true, rttMs: 8, mapped: { address: '203.0.113.9', port: 40001 } }

describe('checks', () => {
  it('lists server probes with their decoded failures', () => {
    expect(serverRows([STUN_OK, TURN_BAD])).toMatchObject([
      { what: 'STUN stun:stun.example:3478 (udp)', ok: true, result: 'reachable, 8.0 ms', detail: 'our address 203.0.113.9:40001' },
      { ok: false, detail: 'our address 203.0.113.9:40000; 401: 401 after credentials: wrong username or password' }
    ])
  })

  it('lists port tests, saying where the port was already bound', () => {
    const rows = portRows([
      { port: 51820, reachable: false, hostToJoin: { target: null, sent: 5, received: 0 }, joinToHost: { target: null, sent: 5, received: 5 }, boundOn: ['host'], reason: 'nothing arrived at the host' }
    ])
    expect(rows[0]).toMatchObject({ what: 'UDP port 51820', ok: false, result: 'not reachable' })
    expect(rows[0]!.detail).toContain('already bound on host')
  })

  it('shows the path MTU or says it was not measured', () => {
    expect(mtuRow(undefined)).toEqual([])
    expect(mtuRow({ toward: null, mtu: 1400, method: 'ping DF' })[0]).toMatchObject({ ok: true, result: '1400 bytes' })
    expect(mtuRow({ toward: null, mtu: null, method: 'none', reason: 'not allowed' })[0]).toMatchObject({ ok: null, result: 'not measured' })
  })

  it('takes server probes live, then from the report', () => {
    const live = applyRunEvent(newSession('s', 'host'), { kind: 'servers', atMs: 1, probes: [STUN_OK] })
    expect(checkRows(live)).toHaveLength(1)
    const r = report({ portTests: [{ port: 51820, reachable: true, hostToJoin: { target: null, sent: 1, received: 1 }, joinToHost: { target: null, sent: 1, received: 1 }, boundOn: [], reason: 'ok' }] })
    ;(r.sides[0] as { servers?: ServerProbe[]; pathMtu?: unknown }).servers = [STUN_OK, TURN_BAD]
    ;(r.sides[0] as { pathMtu?: unknown }).pathMtu = { toward: null, mtu: 1500, method: 'ping DF' }
    expect(checkRows(sessionFromReport(r, 'r', '/r')).map((c) => c.what)).toEqual(['STUN stun:stun.example:3478 (udp)', 'TURN turn:turn.example:3478 (udp)', 'UDP port 51820', 'Path MTU'])
  })
})
