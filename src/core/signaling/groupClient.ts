import { createHmac } from 'node:crypto'
import { request } from './client'
import type { SignalMessage } from '../../shared/signaling'

/**
 * The credential of a group: HMAC-SHA256 of "peerlens-group-v1:" + the group name, keyed by the
 * group secret, base64url. The secret itself never leaves the agent (docs/signaling.md, Groups).
 */
export function groupKey(group: string, secret: string): string {
  return createHmac('sha256', secret).update(`peerlens-group-v1:${group}`).digest('base64url')
}

export interface GroupMember<R = unknown> {
  name: string
  seenAt: number
  results?: R
}

/** The group directory of one signaling server, as one member (or a reader: `matrix`) sees it. */
export class GroupClient {
  private readonly base: string
  private readonly path: string

  constructor(
    base: string,
    readonly group: string,
    private readonly key: string
  ) {
    this.base = base
    this.path = `/v1/groups/${encodeURIComponent(group)}/members`
  }

  private headers(json = false): Record<string, string> {
    return { authorization: `Bearer ${this.key}`, ...(json ? { 'content-type': 'application/json' } : {}) }
  }

  /** Registers (or refreshes) `name`, publishing `results` when given; answers the members and the TTL in seconds. */
  register<R>(name: string, results?: unknown): Promise<{ members: GroupMember<R>[]; ttl: number }> {
    return request(this.base, this.path, { method: 'POST', headers: this.headers(true), body: JSON.stringify(results === undefined ? { name } : { name, results }) })
  }

  async list<R>(): Promise<GroupMember<R>[]> {
    return (await request<{ members: GroupMember<R>[] }>(this.base, this.path, { headers: this.headers() })).members
  }

  async leave(name: string): Promise<void> {
    await request(this.base, `${this.path}/${encodeURIComponent(name)}`, { method: 'DELETE', headers: this.headers() })
  }

  async send(to: string, from: string, type: string, data: unknown): Promise<number> {
    const body = JSON.stringify({ type, from, data })
    return (await request<{ seq: number }>(this.base, `${this.path}/${encodeURIComponent(to)}/messages`, { method: 'POST', headers: this.headers(true), body })).seq
  }

  receive(name: string, after: number, waitSeconds: number, signal?: AbortSignal): Promise<{ messages: SignalMessage[]; next: number }> {
    return request(this.base, `${this.path}/${encodeURIComponent(name)}/messages?after=${after}&wait=${waitSeconds}`, {
      headers: this.headers(),
      signal,
      timeoutMs: waitSeconds * 1000 + 10_000
    })
  }
}
