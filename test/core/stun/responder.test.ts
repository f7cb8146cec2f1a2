// The STUN responder peerlens signal and the host run: plain RFC 5389, and RFC 5780 with --stun-alt.
// Checked with the real NAT discovery client over loopback (127.0.0.1 and 127.0.0.2 are both local).
import { afterEach, describe, expect, it } from 'vitest'
import { StunResponder } from '../../../src/core/stun/responder'
import { discoverNat } from '../../../src/core/nat/discover'

describe('StunResponder', () => {
  const open: StunResponder[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()))
  })
  const responder = () => {
    const r = new StunResponder()
    open.push(r)
    return r
  }

  it('with an alternate address answers RFC 5780: OTHER-ADDRESS, and CHANGE-REQUEST from the other address and port', { timeout: 20_000 }, async () => {
    const r = responder()
    const port = await r.listen(0, '127.0.0.1', { address: '127.0.0.2' })
    const nat = await discoverNat({ stun: `stun:127.0.0.1:${port}`, timeoutMs: 1_000, hairpin: false })
    expect(nat.otherAddress).toEqual({ address: '127.0.0.2', port: port + 1 })
    expect(nat.method).toBe('rfc5780')
    // Loopback has no NAT and no filter: every changed reply came back, from where it should.
    expect(nat).toMatchObject({ mapping: 'none', filtering: 'endpoint-independent', classic: 'open-internet' })
    const f2 = nat.tests.find((t) => t.name === 'filtering-2')!
    expect(f2).toMatchObject({ result: 'reply', from: { address: '127.0.0.2', port: port + 1 } })
    const f3 = nat.tests.find((t) => t.name === 'filtering-3')!
    expect(f3).toMatchObject({ result: 'reply', from: { address: '127.0.0.1', port: port + 1 } })
  })

  it('takes an explicit alternate port', { timeout: 20_000 }, async () => {
    const r = responder()
    const port = await r.listen(0, '127.0.0.1', { address: '127.0.0.2', port: 0 }).catch(() => -1)
    // Port 0 for the alternate means "any": not the same as the primary, so it is accepted.
    expect(port).toBeGreaterThan(0)
  })

  it('without one is a plain RFC 5389 server: no OTHER-ADDRESS, so discovery says RFC 5780 is missing', { timeout: 20_000 }, async () => {
    const r = responder()
    const port = await r.listen(0, '127.0.0.1')
    const nat = await discoverNat({ stun: `stun:127.0.0.1:${port}`, timeoutMs: 1_000, hairpin: false })
    expect(nat.otherAddress).toBeNull()
    expect(nat.method).not.toBe('rfc5780')
    expect(nat.mapped).toMatchObject({ address: '127.0.0.1' })
  })

  it('refuses an alternate it cannot use: a wildcard listen address, or the same IP', async () => {
    await expect(responder().listen(0, '0.0.0.0', { address: '127.0.0.2' })).rejects.toThrow(/specific listen address/)
    await expect(responder().listen(0, '127.0.0.1', { address: '127.0.0.1' })).rejects.toThrow(/differ from the listen address/)
  })
})
