import { SignalError } from '../errors'
import { secretEquals } from '../secrets'
import { storedCost } from '../budget'
import type { RawMessage } from '../store'
import { type RedisClient, type Reply } from './resp'
import type { Wakes } from './wakes'
import * as S from './groupScripts'
import { GROUP_DEFAULTS, type GroupOptions, type GroupStats, type GroupStore, type RawMember } from '../groupStore'
import { WRONG_GROUP_SECRET } from '../groups'
import { longPoll, runScript, storeCall } from './call'

/** The group directory in Redis: the rules of `Groups`, as Lua scripts (groupScripts.ts). */
export class RedisGroups implements GroupStore {
  private readonly o: Required<Omit<GroupOptions, 'now'>>
  private readonly now: () => number
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly client: RedisClient,
    private readonly wakes: Wakes,
    private readonly prefix: string,
    options: GroupOptions = {}
  ) {
    const { now, ...rest } = options
    this.o = { ...GROUP_DEFAULTS, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) }
    this.now = now ?? Date.now
  }

  /** Starts the periodic sweep of expired members (called by RedisStore.connect). */
  start(): void {
    this.timer = setInterval(() => void this.run(S.SWEEP, []).catch(() => {}), Math.max(250, Math.min(this.o.memberTtlMs / 4, 5000)))
    this.timer.unref()
  }

  async register(group: string, key: string, name: string, owner: string, results: string | undefined): Promise<{ members: RawMember[]; ttlMs: number }> {
    const [status, detail] = await this.run(S.REGISTER, [group, key, name, owner, results === undefined ? 0 : 1, results ?? '', this.o.maxGroups, this.o.maxGroupsPerAddress, this.o.maxMembersPerGroup, this.o.maxMembersPerAddress])
    if (status === 503) throw new SignalError(503, 'server full: too many groups; try again later', { 'retry-after': '60' })
    if (status === 429 && detail === 'groups') throw new SignalError(429, `too many groups from your address (at most ${this.o.maxGroupsPerAddress})`, { 'retry-after': '60' })
    if (status === 429 && detail === 'group') throw new SignalError(429, `too many members in this group (at most ${this.o.maxMembersPerGroup})`)
    if (status === 429) throw new SignalError(429, `too many group members from your address (at most ${this.o.maxMembersPerAddress})`, { 'retry-after': '60' })
    if (status === 401) throw new SignalError(401, WRONG_GROUP_SECRET)
    return { members: readMembers(detail), ttlMs: this.o.memberTtlMs }
  }

  async list(group: string, key: string): Promise<RawMember[]> {
    await this.check(group, key)
    const [status, detail] = await this.run(S.LIST, [group, key])
    this.refuse(status, detail)
    return readMembers(detail)
  }

  async leave(group: string, key: string, name: string): Promise<void> {
    await this.check(group, key)
    const [status, detail] = await this.run(S.LEAVE, [group, key, name])
    this.refuse(status, detail)
  }

  async send(group: string, key: string, to: string, from: string, type: string, raw: string): Promise<number> {
    await this.check(group, key)
    const cost = storedCost(raw, type) + from.length
    const [status, detail] = await this.run(S.SEND, [group, key, to, from, type, raw, cost, this.o.maxInboxBytes])
    this.refuse(status, detail)
    if (status === 429) throw new SignalError(429, 'too many undelivered messages for this member')
    return Number(detail)
  }

  async receive(group: string, key: string, name: string, after: number, waitMs: number, signal?: AbortSignal): Promise<{ messages: RawMessage[]; next: number }> {
    await this.check(group, key)
    let found = await this.read(group, key, name, after, 0)
    if (found.length === 0 && waitMs > 0 && !signal?.aborted) {
      found = await longPoll(this.wakes, `${this.prefix}gw:${group}:${name}`, waitMs, signal, () => this.read(group, key, name, after, this.now() + waitMs), () => this.read(group, key, name, after, 0))
    }
    return { messages: found, next: found.length ? found[found.length - 1]!.seq : after }
  }

  async stats(): Promise<GroupStats> {
    const [, groups, members, messages] = await this.run(S.STATS, [])
    return { groups: Number(groups), members: Number(members), messages: Number(messages) }
  }

  close(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  private async read(group: string, key: string, name: string, after: number, waitUntil: number): Promise<RawMessage[]> {
    const [status, entries] = await this.run(S.RECEIVE, [group, key, name, after, waitUntil])
    this.refuse(status, entries)
    return (entries as Reply[][]).map(([id, fields]) => {
      const f = fields as string[]
      const get = (n: string): string => f[f.indexOf(n) + 1]!
      return { seq: Number(String(id).split('-')[0]), from: get('f'), type: get('t'), raw: get('r') }
    })
  }

  /** The key compared here in constant time; the scripts compare it again, atomically. */
  private async check(group: string, key: string): Promise<void> {
    const stored = await this.call(['HGET', `${this.prefix}g:${group}`, 'key'])
    if (stored == null) throw new SignalError(404, 'unknown group (no member registered, or all expired)')
    if (!secretEquals(key, String(stored))) throw new SignalError(401, WRONG_GROUP_SECRET)
  }

  private refuse(status: Reply | undefined, detail: Reply | undefined): void {
    if (status === 404 && detail === 'member') throw new SignalError(404, 'no such member in this group')
    if (status === 404) throw new SignalError(404, 'unknown group (no member registered, or all expired)')
    if (status === 401) throw new SignalError(401, WRONG_GROUP_SECRET)
  }

  private run(script: string, args: Array<string | number>): Promise<Reply[]> {
    return runScript(this.client, script, [this.prefix, this.now(), this.o.memberTtlMs, ...args])
  }


  private call(args: Array<string | number>): Promise<Reply> {
    return storeCall(this.client, args)
  }
}

function readMembers(reply: Reply | undefined): RawMember[] {
  return ((reply ?? []) as Reply[][])
    .map(([name, seen, results]) => ({ name: String(name), seenAt: Number(seen), ...(typeof results === 'string' ? { results } : {}) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}


