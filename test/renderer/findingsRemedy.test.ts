// The dashboard puts the remedy under the finding it answers, with the measurement it rests on (issue 13 item 5).
import { describe, expect, it } from 'vitest'
import { findingRows } from '../../src/renderer/src/model/findings'
import { report } from './fixtures'
import type { SideReport } from '../../src/shared/report'

describe('findings with their remedies', () => {
  it('a route into a VPN-like interface comes with what to change and the route that shows it', () => {
    const r = report()
    const host = r.sides[0] as SideReport
    host.system = {
      collectedAt: '2026-11-25T10:00:01.000Z',
      platform: 'linux',
      durationMs: 5,
      interfaces: [],
      routes: [{ destination: '203.0.113.9', ok: true, command: 'ip -j route get 203.0.113.9', interface: 'wt0', gateway: null, source: '100.64.0.2', mtu: null, vpnLike: true }],
      defaultGateways: [],
      vpn: [],
      errors: []
    }
    const row = findingRows(r).find((f) => /VPN-like interface/.test(f.text))
    expect(row?.level).toBe('bad')
    expect(row?.remedy?.action).toMatch(/wt0/)
    expect(row?.remedy?.rests).toMatch(/route toward .* names wt0/)
  })

  it('a finding without a remedy has none', () => {
    // The other side's half never arrived: worth saying, nothing to change on the network.
    const rows = findingRows(report())
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) expect(row.remedy).toBeUndefined()
  })
})
