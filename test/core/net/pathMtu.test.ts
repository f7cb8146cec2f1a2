import { describe, expect, it } from 'vitest'
import { probePathMtu, systemPinger, type Pinger } from '../../../src/core/net/pathMtu'

/** A path that carries IP packets up to `mtu` bytes; `reports` says whether it tells its MTU. */
function path(mtu: number, reports = false): Pinger & { calls: number[] } {
  const calls: number[] = []
  const f = (async (_address: string, payload: number) => {
    calls.push(payload)
    const ok = payload + 28 <= mtu
    return { ok, text: '', ...(!ok && reports ? { tooBig: mtu } : {}) }
  }) as Pinger & { calls: number[] }
  f.calls = calls
  return f
}

describe('path MTU search', () => {
  it.each([1500, 1420, 1280, 1000, 576])('finds %i exactly, within a bounded number of pings', async (mtu) => {
    const p = path(mtu)
    const r = await probePathMtu('192.0.2.9', p)
    expect(r.mtu).toBe(mtu)
    expect(p.calls.length).toBeLessThanOrEqual(14)
    // Only a path that took the largest size tried may carry more than was measured.
    expect(r.capped).toBe(mtu === 1500 ? true : undefined)
  })

  it('says a path larger than the largest size tried is capped there', async () => {
    expect(await probePathMtu('192.0.2.9', path(65536))).toMatchObject({ mtu: 1500, capped: true })
  })

  it('uses the MTU a router reports', async () => {
    const p = path(1400, true)
    expect((await probePathMtu('192.0.2.9', p)).mtu).toBe(1400)
    expect(p.calls.length).toBeLessThanOrEqual(3)
  })

  it('takes the MTU a router reports even when the other side never answers ping', async () => {
    const silent: Pinger = async (_a, payload) => ({ ok: false, text: '', ...(payload + 28 > 1400 ? { tooBig: 1400 } : {}) })
    expect(await probePathMtu('192.0.2.9', silent)).toMatchObject({ mtu: 1400, reason: expect.stringMatching(/a router on the way reported/) })
  })

  it('says when the other side does not answer ping, or there is no address', async () => {
    expect(await probePathMtu('192.0.2.9', async () => ({ ok: false, text: '' }))).toMatchObject({ mtu: null, reason: expect.stringMatching(/does not answer ping/) })
    expect(await probePathMtu(null)).toMatchObject({ mtu: null, reason: expect.stringMatching(/no address/) })
  })

  it('measures loopback with the real ping where there is one', async () => {
    const r = await probePathMtu('127.0.0.1', systemPinger())
    if (r.reason?.includes('no ping command')) return
    // Loopback's MTU is 65536, far above what we probe: the search tops out at Ethernet size, and says so.
    expect(r).toMatchObject({ mtu: 1500, capped: true })
  })
})
