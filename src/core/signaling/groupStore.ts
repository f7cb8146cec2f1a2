import type { RawMessage } from './store'

/** A member as the directory lists it: its name, when it last registered, and what it published (raw JSON). */
export interface RawMember {
  name: string
  /** Unix milliseconds of its last registration (heartbeat). */
  seenAt: number
  /** The JSON text of its last published results (verbatim), or undefined. */
  results?: string
}

export interface GroupStats {
  groups: number
  members: number
  /** Undelivered inbox messages. */
  messages: number
}

/** Limits of the group directory (docs/signaling.md, Groups). */
export interface GroupOptions {
  /** A member that has not registered again for this long is dropped (default 60 s). */
  memberTtlMs?: number
  /** Groups on the server (503 past it) and groups opened from one address (429 past it). */
  maxGroups?: number
  maxGroupsPerAddress?: number
  /** Members of one group (429 past it) and members registered from one address, all groups (429). */
  maxMembersPerGroup?: number
  maxMembersPerAddress?: number
  /** Stored bytes of undelivered messages in one member's inbox (429 past it). */
  maxInboxBytes?: number
  now?: () => number
}

export const GROUP_DEFAULTS = {
  memberTtlMs: 60_000,
  maxGroups: 1000,
  maxGroupsPerAddress: 20,
  maxMembersPerGroup: 256,
  maxMembersPerAddress: 256,
  maxInboxBytes: 64 * 1024
}

/** Published results: at most this many bytes of JSON text per member. */
export const MAX_RESULTS_BYTES = 32 * 1024

export { GROUP_NAME } from '../../shared/mesh/names'

/**
 * The group directory: agents of one group (docs/agents.md) register under a name, list each other,
 * publish their latest results, and leave each other messages (an inbox per member, long-polled).
 * Every call carries the group key (derived from the group secret; the first member to register
 * sets it). In memory (`Groups`) or in Redis (`RedisGroups`). Errors are SignalErrors.
 */
export interface GroupStore {
  register(group: string, key: string, name: string, owner: string, results: string | undefined): Promise<{ members: RawMember[]; ttlMs: number }>
  list(group: string, key: string): Promise<RawMember[]>
  leave(group: string, key: string, name: string): Promise<void>
  send(group: string, key: string, to: string, from: string, type: string, raw: string): Promise<number>
  receive(group: string, key: string, name: string, after: number, waitMs: number, signal?: AbortSignal): Promise<{ messages: RawMessage[]; next: number }>
  stats(): Promise<GroupStats>
  close(): void | Promise<void>
}
