// The Mesh screen's main-process side against a real signaling server on loopback: a group
// registered through the real directory API, read through the IPC boundary (zod, handlers) with the
// code `peerlens matrix` uses; changes between readings; one-line errors; the secret never comes back.
import { afterEach, describe, expect, it } from 'vitest'
import { SignalingServer } from '../../src/core/signaling/server'
import { GroupClient, groupKey } from '../../src/core/signaling/groupClient'
import { readGroupMatrix } from '../../src/core/agent/matrix'
import { handleCall, type Handlers } from '../../src/main/ipc'
import { createHandlers, type HandlerContext } from '../../src/main/handlers'
import { MeshReader } from '../../src/main/mesh'
import type { MeshView } from '../../src/shared/ipc'

const SECRET = 'correct horse battery'
const servers: SignalingServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function server(): Promise<string> {
  const s = new SignalingServer({ rateLimit: { perSecond: 0, burst: 0 } })
  servers.push(s)
  return `http://127.0.0.1:${(await s.listen(0)).port}/`
}

let clock = Date.parse('2026-11-30T12:00:00Z')
function handlers(): Handlers {
  // Only the mesh reader matters here; the other services are never called.
  return createHandlers({ mesh: new MeshReader(readGroupMatrix, () => new Date((clock += 1000))) } as unknown as HandlerContext)
}

const trusted = () => true
const sender = { url: 'app://renderer/index.html', mainFrame: true }
const call = (h: Handlers, params: unknown) => handleCall(h, trusted, sender, { method: 'mesh.matrix', params })

const at = (s: number): string => new Date(Date.parse('2026-11-30T11:00:00Z') + s * 1000).toISOString()

describe('mesh.matrix', () => {
  it('reads the matrix of a real group, and lists the verdicts that changed between readings', async () => {
    const base = await server()
    const key = groupKey('lab', SECRET)
    const alice = new GroupClient(base, 'lab', key)
    const bob = new GroupClient(base, 'lab', key)
    await alice.register('alice', { pairs: { bob: { verdict: 'direct', at: at(1), rttMs: 1.5, reason: 'the two sides reach each other without a relay' } } })
    await bob.register('bob')
    const h = handlers()
    const first = await call(h, { signal: base, group: 'lab', secret: SECRET })
    expect(first.ok).toBe(true)
    const v = (first as { value: MeshView }).value
    expect(v.matrix).toEqual({ peers: ['alice', 'bob'], pairs: [{ a: 'alice', b: 'bob', verdict: 'direct', at: at(1), rttMs: 1.5, reason: 'the two sides reach each other without a relay' }] })
    expect(v.changes).toEqual([])
    // The secret is used for the request only: nothing the renderer gets back holds it.
    expect(JSON.stringify(first)).not.toContain(SECRET)
    expect(JSON.stringify(first)).not.toContain(key)

    // Bob's newer test says relayed; carol joins.
    await bob.register('bob', { pairs: { alice: { verdict: 'relayed', at: at(60), rttMs: 40, reason: 'only a TURN relay worked' } } })
    await new GroupClient(base, 'lab', key).register('carol')
    const second = (await call(h, { signal: base, group: 'lab', secret: SECRET })) as { ok: true; value: MeshView }
    expect(second.value.matrix.peers).toEqual(['alice', 'bob', 'carol'])
    expect(second.value.changes.map((c) => c.text)).toEqual(['carol joined the group', 'alice ↔ bob: direct → relayed (only a TURN relay worked)'])
    expect(second.value.changes[1]).toMatchObject({ kind: 'verdict', before: 'direct', after: 'relayed', at: at(60) })

    // A third reading without change keeps the history.
    const third = (await call(h, { signal: base, group: 'lab', secret: SECRET })) as { ok: true; value: MeshView }
    expect(third.value.changes).toHaveLength(2)
  })

  it('says in one line: a wrong secret, an empty group, an unreachable server', async () => {
    const base = await server()
    await new GroupClient(base, 'lab', groupKey('lab', SECRET)).register('alice')
    const h = handlers()
    expect(await call(h, { signal: base, group: 'lab', secret: 'not the secret' })).toEqual({ ok: false, error: 'wrong group secret for group lab' })
    expect(await call(h, { signal: base, group: 'nobody', secret: SECRET })).toEqual({ ok: false, error: 'no agent in group nobody (none registered, or all expired)' })
    const gone = await server()
    await servers.pop()!.close()
    const unreachable = await call(h, { signal: gone, group: 'lab', secret: SECRET })
    expect(unreachable).toMatchObject({ ok: false, error: expect.stringMatching(/^signaling server http:\/\/127\.0\.0\.1:\d+ unreachable: ECONNREFUSED$/) })
  })

  it('refuses bad params before any request, without echoing the secret', async () => {
    const h = handlers()
    const short = await call(h, { signal: 'http://127.0.0.1:9/', group: 'lab', secret: 'short' })
    expect(short).toEqual({ ok: false, error: 'refused: bad params for mesh.matrix: secret: the group secret has at least 8 characters' })
    expect(await call(h, { signal: 'ftp://x/', group: 'lab', secret: SECRET })).toMatchObject({ ok: false, error: expect.stringMatching(/^refused: bad params for mesh\.matrix: signal: /) })
    const badGroup = await call(h, { signal: 'http://127.0.0.1:9/', group: '../x', secret: SECRET })
    expect(badGroup).toMatchObject({ ok: false, error: expect.stringContaining('group: a group name is 1 to 64 letters') })
    expect(JSON.stringify(badGroup)).not.toContain(SECRET)
    expect(await call(h, { signal: 'http://127.0.0.1:9/', group: 'lab', secret: SECRET, extra: 1 })).toMatchObject({ ok: false })
  })
})
