import { SignalError } from './errors'
import { secretEquals } from './secrets'
import { storedCost } from './budget'
import type { RawMessage } from './store'
import { GROUP_DEFAULTS, type GroupOptions, type GroupStats, type GroupStore, type RawMember } from './groupStore'

interface Stored extends RawMessage {
  cost: number
}

interface Member {
  name: string
  owner: string
  seenAt: number
  results?: string
  inbox: Stored[]
  inboxBytes: number
  seq: number
  waiters: Set<() => void>
}

interface Group {
  key: string
  owner: string
  members: Map<string, Member>
}

export const WRONG_GROUP_SECRET = 'wrong group secret'

/** The group directory in this process's memory (the default; RedisGroups for several instances). */
export class Groups implements GroupStore {
  private readonly groups = new Map<string, Group>()
  private readonly groupsPerAddress = new Map<string, number>()
  private readonly membersPerAddress = new Map<string, number>()
  private readonly o: Required<Omit<GroupOptions, 'now'>>
  private readonly now: () => number
  private timer: NodeJS.Timeout | undefined

  constructor(options: GroupOptions = {}) {
    const { now, ...rest } = options
    this.o = { ...GROUP_DEFAULTS, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) }
    this.now = now ?? Date.now
    this.timer = setInterval(() => this.sweep(), Math.max(100, Math.min(this.o.memberTtlMs / 4, 5000)))
    this.timer.unref()
  }

  async register(groupName: string, key: string, name: string, owner: string, results: string | undefined): Promise<{ members: RawMember[]; ttlMs: number }> {
    let group = this.groups.get(groupName)
    if (!group) {
      if (this.groups.size >= this.o.maxGroups) throw new SignalError(503, 'server full: too many groups; try again later', { 'retry-after': '60' })
      if (owner && (this.groupsPerAddress.get(owner) ?? 0) >= this.o.maxGroupsPerAddress) {
        throw new SignalError(429, `too many groups from your address (at most ${this.o.maxGroupsPerAddress})`, { 'retry-after': '60' })
      }
      group = { key, owner, members: new Map() }
      this.groups.set(groupName, group)
      if (owner) bump(this.groupsPerAddress, owner, 1)
    } else if (!secretEquals(key, group.key)) throw new SignalError(401, WRONG_GROUP_SECRET)
    let member = group.members.get(name)
    if (!member) {
      if (group.members.size >= this.o.maxMembersPerGroup) throw this.refuseEmpty(groupName, new SignalError(429, `too many members in this group (at most ${this.o.maxMembersPerGroup})`))
      if (owner && (this.membersPerAddress.get(owner) ?? 0) >= this.o.maxMembersPerAddress) {
        throw this.refuseEmpty(groupName, new SignalError(429, `too many group members from your address (at most ${this.o.maxMembersPerAddress})`, { 'retry-after': '60' }))
      }
      member = { name, owner, seenAt: 0, inbox: [], inboxBytes: 0, seq: 0, waiters: new Set() }
      group.members.set(name, member)
      if (owner) bump(this.membersPerAddress, owner, 1)
    }
    member.seenAt = this.now()
    if (results !== undefined) member.results = results
    return { members: this.view(group), ttlMs: this.o.memberTtlMs }
  }

  async list(groupName: string, key: string): Promise<RawMember[]> {
    return this.view(this.auth(groupName, key))
  }

  async leave(groupName: string, key: string, name: string): Promise<void> {
    const group = this.auth(groupName, key)
    if (group.members.has(name)) this.drop(groupName, group, name)
  }

  async send(groupName: string, key: string, to: string, from: string, type: string, raw: string): Promise<number> {
    const member = this.member(this.auth(groupName, key), to)
    const cost = storedCost(raw, type) + from.length
    if (member.inboxBytes + cost > this.o.maxInboxBytes) throw new SignalError(429, 'too many undelivered messages for this member')
    const seq = ++member.seq
    member.inbox.push({ seq, from, type, raw, cost })
    member.inboxBytes += cost
    for (const wake of [...member.waiters]) wake()
    return seq
  }

  async receive(groupName: string, key: string, name: string, after: number, waitMs: number, signal?: AbortSignal): Promise<{ messages: RawMessage[]; next: number }> {
    const group = this.auth(groupName, key)
    const member = this.member(group, name)
    member.seenAt = Math.max(member.seenAt, this.now())
    // Reading past a message acknowledges it.
    member.inbox = member.inbox.filter((m) => {
      if (m.seq > after) return true
      member.inboxBytes -= m.cost
      return false
    })
    if (member.inbox.length === 0 && waitMs > 0 && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => done(), waitMs)
        const done = (): void => {
          clearTimeout(timer)
          member.waiters.delete(done)
          signal?.removeEventListener('abort', done)
          resolve()
        }
        member.waiters.add(done)
        signal?.addEventListener('abort', done)
      })
      if (this.groups.get(groupName)?.members.get(name) !== member) throw new SignalError(404, 'no such member in this group')
    }
    const messages = member.inbox.filter((m) => m.seq > after).map(({ seq, from, type, raw }) => ({ seq, from, type, raw }))
    return { messages, next: messages.length ? messages[messages.length - 1]!.seq : after }
  }

  async stats(): Promise<GroupStats> {
    let members = 0
    let messages = 0
    for (const g of this.groups.values()) {
      members += g.members.size
      for (const m of g.members.values()) messages += m.inbox.length
    }
    return { groups: this.groups.size, members, messages }
  }

  /** Drops members not seen for the member TTL (none with a poll waiting), and groups left empty. */
  sweep(): void {
    const cutoff = this.now() - this.o.memberTtlMs
    for (const [groupName, group] of [...this.groups]) {
      for (const m of [...group.members.values()]) if (m.seenAt <= cutoff && m.waiters.size === 0) this.drop(groupName, group, m.name)
    }
  }

  close(): void {
    clearInterval(this.timer)
    this.timer = undefined
    for (const [groupName, group] of [...this.groups]) for (const name of [...group.members.keys()]) this.drop(groupName, group, name)
  }

  private auth(groupName: string, key: string): Group {
    const group = this.groups.get(groupName)
    if (!group) throw new SignalError(404, 'unknown group (no member registered, or all expired)')
    if (!secretEquals(key, group.key)) throw new SignalError(401, WRONG_GROUP_SECRET)
    return group
  }

  private member(group: Group, name: string): Member {
    const member = group.members.get(name)
    if (!member) throw new SignalError(404, 'no such member in this group')
    return member
  }

  private drop(groupName: string, group: Group, name: string): void {
    const member = group.members.get(name)!
    group.members.delete(name)
    if (member.owner) bump(this.membersPerAddress, member.owner, -1)
    for (const wake of [...member.waiters]) wake()
    if (group.members.size === 0) {
      this.groups.delete(groupName)
      if (group.owner) bump(this.groupsPerAddress, group.owner, -1)
    }
  }

  /** A refusal of a group's first member leaves no empty group behind. */
  private refuseEmpty(groupName: string, err: SignalError): SignalError {
    const group = this.groups.get(groupName)
    if (group && group.members.size === 0) {
      this.groups.delete(groupName)
      if (group.owner) bump(this.groupsPerAddress, group.owner, -1)
    }
    return err
  }

  private view(group: Group): RawMember[] {
    return [...group.members.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((m) => ({ name: m.name, seenAt: m.seenAt, ...(m.results !== undefined ? { results: m.results } : {}) }))
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by
  if (n > 0) map.set(key, n)
  else map.delete(key)
}
