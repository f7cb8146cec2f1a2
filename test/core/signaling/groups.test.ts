import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SignalingServer } from '../../../src/core/signaling/server'
import { RedisStore } from '../../../src/core/signaling/redis/store'
import { parseRedisUrl } from '../../../src/core/signaling/redis/resp'
import { GroupClient, groupKey } from '../../../src/core/signaling/groupClient'
import { SignalClientError } from '../../../src/core/signaling/client'
import type { GroupOptions } from '../../../src/core/signaling/groupStore'
import { HAVE_REDIS, NO_REDIS, startRedis, type RedisServer } from '../../helpers/redis'

// The group directory (docs/signaling.md, Groups) against a real server: in memory, and in Redis
// behind two instances when redis-server is installed.

if (!HAVE_REDIS) console.warn(NO_REDIS)

let redis: RedisServer | undefined
const servers: SignalingServer[] = []
let prefixes = 0
beforeAll(async () => {
  if (HAVE_REDIS) redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

type Kind = 'memory' | 'redis'

/** Two bases serving one directory: the same server twice in memory, two instances with Redis. */
async function bases(kind: Kind, groupOptions: GroupOptions = {}): Promise<[string, string]> {
  const out: string[] = []
  const prefix = `g${++prefixes}:`
  for (let i = 0; i < (kind === 'memory' ? 1 : 2); i++) {
    let server: SignalingServer
    if (kind === 'memory') server = new SignalingServer({ rateLimit: { perSecond: 0, burst: 0 }, groupOptions })
    else {
      const store = new RedisStore(parseRedisUrl(redis!.url), { prefix, groups: groupOptions })
      await store.connect()
      server = new SignalingServer({ rateLimit: { perSecond: 0, burst: 0 }, store, groups: store.groups })
    }
    servers.push(server)
    out.push(`http://127.0.0.1:${(await server.listen(0)).port}/`)
  }
  return [out[0]!, out[1] ?? out[0]!]
}

async function refusal(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(SignalClientError)
  return { status: (err as SignalClientError).status, message: (err as Error).message }
}

const kinds: Kind[] = HAVE_REDIS ? ['memory', 'redis'] : ['memory']

describe.each(kinds)('the group directory (%s)', (kind) => {
  it('registers members, lists them with their published results, and passes inbox messages in order', async () => {
    const [a, b] = await bases(kind)
    const key = groupKey('lab', 's3cret')
    const alice = new GroupClient(a, 'lab', key)
    const bob = new GroupClient(b, 'lab', key)
    const first = await alice.register('alice', { pairs: { bob: { verdict: 'direct' } } })
    expect(first.ttl).toBe(60)
    expect(first.members.map((m) => m.name)).toEqual(['alice'])
    const second = await bob.register('bob')
    expect(second.members.map((m) => m.name)).toEqual(['alice', 'bob'])
    expect(second.members[0]!.results).toEqual({ pairs: { bob: { verdict: 'direct' } } })
    // A long poll on one instance wakes on a message sent through the other.
    const waiting = bob.receive('bob', 0, 5)
    await new Promise((r) => setTimeout(r, 200))
    await alice.send('bob', 'alice', 'invite', { url: 'http://x/join/r#s' })
    await alice.send('bob', 'alice', 'retest', null)
    const got = await waiting
    expect(got.messages.map((m) => [m.from, m.type])).toEqual([['alice', 'invite'], ...(got.messages.length > 1 ? [['alice', 'retest']] : [])])
    const rest = await bob.receive('bob', got.messages[0]!.seq, 0)
    expect(rest.messages.map((m) => m.type)).toEqual(got.messages.length > 1 ? ['retest'] : ['retest'])
    // Acknowledged messages are gone.
    expect((await bob.receive('bob', rest.next, 0)).messages).toEqual([])
    await bob.leave('bob')
    expect((await alice.list()).map((m) => m.name)).toEqual(['alice'])
  })

  it('refuses a wrong group secret with 401, and an unknown group or member with 404', async () => {
    const [a] = await bases(kind)
    await new GroupClient(a, 'lab', groupKey('lab', 'right')).register('alice')
    const wrong = new GroupClient(a, 'lab', groupKey('lab', 'wrong'))
    expect(await refusal(wrong.register('mallory'))).toEqual({ status: 401, message: 'wrong group secret' })
    expect((await refusal(wrong.list())).status).toBe(401)
    expect((await refusal(wrong.send('alice', 'mallory', 'invite', {}))).status).toBe(401)
    expect((await refusal(wrong.receive('alice', 0, 0))).status).toBe(401)
    expect((await refusal(new GroupClient(a, 'other', groupKey('other', 'x')).list())).status).toBe(404)
    expect((await refusal(new GroupClient(a, 'lab', groupKey('lab', 'right')).send('nobody', 'alice', 'invite', {}))).status).toBe(404)
    // No key at all, or a malformed one.
    const res = await fetch(new URL('/v1/groups/lab/members', a))
    expect(res.status).toBe(401)
    expect(((await res.json()) as { error: string }).error).toMatch(/missing group key/)
  })

  it('caps a flood of fake members per group and per address, and groups per address', async () => {
    const [a] = await bases(kind, { maxMembersPerGroup: 5, maxMembersPerAddress: 8, maxGroupsPerAddress: 2 })
    const lab = new GroupClient(a, 'lab', groupKey('lab', 's'))
    for (let i = 0; i < 5; i++) await lab.register(`fake${i}`)
    expect(await refusal(lab.register('fake5'))).toEqual({ status: 429, message: 'too many members in this group (at most 5)' })
    // Registering again (a heartbeat) is not a new member.
    await lab.register('fake0')
    const other = new GroupClient(a, 'other', groupKey('other', 's'))
    for (let i = 0; i < 3; i++) await other.register(`x${i}`)
    expect(await refusal(other.register('x3'))).toEqual({ status: 429, message: 'too many group members from your address (at most 8)' })
    expect(await refusal(new GroupClient(a, 'third', groupKey('third', 's')).register('y'))).toEqual({ status: 429, message: 'too many groups from your address (at most 2)' })
    expect((await lab.list()).length).toBe(5)
  })

  it('drops members that stop registering, and the group with the last one', async () => {
    const [a] = await bases(kind, { memberTtlMs: 600 })
    const lab = new GroupClient(a, 'lab', groupKey('lab', 's'))
    await lab.register('alice')
    await lab.register('bob')
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 250))
      await lab.register('alice')
    }
    expect((await lab.list()).map((m) => m.name)).toEqual(['alice'])
    await new Promise((r) => setTimeout(r, 1500))
    expect((await refusal(lab.list())).status).toBe(404)
    // Anyone may now open a group of that name, with another secret.
    await new GroupClient(a, 'lab', groupKey('lab', 'new')).register('carol')
  })

  it('bounds a member\'s inbox and the published results', async () => {
    const [a] = await bases(kind, { maxInboxBytes: 2000 })
    const lab = new GroupClient(a, 'lab', groupKey('lab', 's'))
    await lab.register('alice')
    await lab.send('alice', 'bob', 'invite', 'x'.repeat(1000))
    expect(await refusal(lab.send('alice', 'bob', 'invite', 'x'.repeat(1000)))).toEqual({ status: 429, message: 'too many undelivered messages for this member' })
    expect((await refusal(lab.register('alice', { big: 'x'.repeat(40_000) }))).status).toBe(413)
  })
})
