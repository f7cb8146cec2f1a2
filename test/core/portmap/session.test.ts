// --port-mapping's session half against a fake gateway on loopback: maps the host candidate's port,
// offers a candidate line, and deletes the mapping when the session ends, also when it ends early.
import { afterEach, describe, expect, it } from 'vitest'
import { SessionPortMapper } from '../../../src/core/portmap/session'
import type { CandidateInfo } from '../../../src/shared/session'
import { startFakeGateway, type FakeGateway } from './fakeGateway'

let gw: FakeGateway | undefined
afterEach(async () => {
  await gw?.close()
  gw = undefined
})

const host = (address: string, port: number) => ({ type: 'host', protocol: 'udp', address, port }) as CandidateInfo

describe('SessionPortMapper', () => {
  it('maps the host candidate toward the gateway, offers it as srflx, notes the path, deletes it at the end', async () => {
    gw = await startFakeGateway({})
    const m = new SessionPortMapper({ gateway: gw.address, timeoutMs: 1000 })
    expect(await m.candidateFor(host('127.0.0.1', 40000))).toBe('candidate:pm40001 1 udp 1694498815 198.51.100.7 40001 typ srflx raddr 127.0.0.1 rport 40000')
    // One mapping per session: a second host candidate is left alone.
    expect(await m.candidateFor(host('127.0.0.1', 40010))).toBeNull()
    m.notePath({ type: 'host', address: '127.0.0.1', port: 40000 })
    await m.close()
    const s = m.result()!.session!
    expect(s).toMatchObject({ protocol: 'nat-pmp', used: true, removed: true, external: { address: '198.51.100.7', port: 40001 } })
    expect(s.reason).toMatch(/deleted at the end$/)
    expect(gw.seen.udp.at(-1)).toBe('000100009c400000' + '00000000')
    await m.close() // twice is harmless
  })

  it('a session cancelled while the mapping is asked for still deletes it', async () => {
    gw = await startFakeGateway({})
    const m = new SessionPortMapper({ gateway: gw.address, timeoutMs: 1000 })
    const pending = m.candidateFor(host('127.0.0.1', 40000))
    await m.close()
    await pending
    expect(m.result()!.session).toMatchObject({ removed: true })
    expect(gw.seen.udp.filter((h) => h.startsWith('0001')).length).toBe(2)
  })

  it('a gateway refusing every protocol: no candidate, the reasons in one line', async () => {
    gw = await startFakeGateway({ natPmp: 'error', pcp: 'error', upnp: 'error' })
    const m = new SessionPortMapper({ gateway: gw.address, timeoutMs: 1000 })
    expect(await m.candidateFor(host('127.0.0.1', 40000))).toBeNull()
    await m.close()
    const s = m.result()!.session!
    expect(s).toMatchObject({ protocol: null, external: null, removed: null })
    expect(s.reason).toMatch(/^no mapping: /)
    expect(s.reason).not.toMatch(/\n/)
  })

  it('ignores relay, TCP, IPv6 and other-interface candidates', async () => {
    gw = await startFakeGateway({})
    const m = new SessionPortMapper({ gateway: gw.address, timeoutMs: 1000 })
    expect(await m.candidateFor({ ...host('127.0.0.1', 1), type: 'relay' } as CandidateInfo)).toBeNull()
    expect(await m.candidateFor({ ...host('127.0.0.1', 1), protocol: 'tcp' } as CandidateInfo)).toBeNull()
    expect(await m.candidateFor(host('::1', 1))).toBeNull()
    expect(await m.candidateFor(host('10.9.9.9', 1))).toBeNull()
    await m.close()
    expect(gw.seen.udp.some((h) => h.startsWith('0001'))).toBe(false)
  })
})
