import type { IncomingMessage } from 'node:http'
import { SignalError } from './errors'
import { readJsonBody, isRecord, type BodyBudget } from './body'
import { rawMember } from './rawJson'
import { GROUP_NAME, MAX_RESULTS_BYTES, type GroupStore, type RawMember } from './groupStore'
import type { RawMessage } from './store'
import { MAX_WAIT_SECONDS, DEFAULT_WAIT_SECONDS, MESSAGE_TYPE_PATTERN } from '../../shared/signaling'

/** The group key as presented: `Authorization: Bearer KEY` (docs/signaling.md, Groups). */
const KEY = /^[A-Za-z0-9_-]{16,128}$/

export interface GroupRouteContext {
  groups: GroupStore
  bodies: BodyBudget
  address: string
  /** Long polls held (for /metrics). */
  polls: { longPolls: number; messages: number }
  integer: (url: URL, name: string, min: number, max: number, fallback: number) => number
  allow: (method: string, methods: string[]) => void
}

export type GroupAnswer = { status: number; body: unknown } | { status: number; json: string } | undefined

/**
 * /v1/groups/{group}/members[/{name}[/messages]]: the group directory. `parts` is the path split
 * on '/', starting with 'v1', 'groups'. Answers undefined when the client went away during a poll.
 */
export async function routeGroups(req: IncomingMessage, url: URL, parts: string[], closed: AbortSignal, c: GroupRouteContext): Promise<GroupAnswer> {
  const method = req.method ?? 'GET'
  const [, , group, what, name, sub] = parts
  if (!group || what !== 'members' || parts.length > 6 || (parts.length === 6 && sub !== 'messages')) throw new SignalError(404, 'no such path')
  if (!GROUP_NAME.test(group)) throw new SignalError(404, 'unknown group')
  if (name !== undefined && !GROUP_NAME.test(name)) throw new SignalError(404, 'no such member in this group')
  const key = groupKey(req)
  if (name === undefined) {
    c.allow(method, ['GET', 'POST'])
    if (method === 'GET') return { status: 200, json: membersAnswer(await c.groups.list(group, key)) }
    const { value, text } = await readJsonBody(req, { budget: c.bodies })
    if (!isRecord(value) || typeof value.name !== 'string' || !GROUP_NAME.test(value.name)) {
      throw new SignalError(400, 'body needs a "name" of 1 to 64 letters, digits, ".", "_" or "-" (starting with a letter or digit)')
    }
    let results: string | undefined
    if ('results' in value) {
      results = Buffer.from(rawMember(text, 'results')!, 'utf8').toString('utf8')
      if (Buffer.byteLength(results) > MAX_RESULTS_BYTES) throw new SignalError(413, `"results" over ${MAX_RESULTS_BYTES} bytes`)
    }
    const { members, ttlMs } = await c.groups.register(group, key, value.name, c.address, results)
    return { status: 200, json: membersAnswer(members, Math.floor(ttlMs / 1000)) }
  }
  if (sub === undefined) {
    c.allow(method, ['DELETE'])
    await c.groups.leave(group, key, name)
    return { status: 200, body: {} }
  }
  c.allow(method, ['GET', 'POST'])
  if (method === 'POST') {
    const { value, text } = await readJsonBody(req, { budget: c.bodies })
    if (!isRecord(value) || typeof value.type !== 'string' || !MESSAGE_TYPE_PATTERN.test(value.type)) {
      throw new SignalError(400, 'body needs a "type" matching [a-z][a-z0-9-]{0,31}')
    }
    if (typeof value.from !== 'string' || !GROUP_NAME.test(value.from)) throw new SignalError(400, 'body needs the sender\'s member name in "from"')
    if (!('data' in value)) throw new SignalError(400, 'body needs a "data" field (null is fine)')
    const raw = Buffer.from(rawMember(text, 'data')!, 'utf8').toString('utf8')
    const seq = await c.groups.send(group, key, name, value.from, value.type, raw)
    c.polls.messages++
    return { status: 202, body: { seq } }
  }
  const after = c.integer(url, 'after', 0, Number.MAX_SAFE_INTEGER, 0)
  const wait = c.integer(url, 'wait', 0, MAX_WAIT_SECONDS, DEFAULT_WAIT_SECONDS)
  c.polls.longPolls++
  const { messages, next } = await c.groups.receive(group, key, name, after, wait * 1000, closed).finally(() => c.polls.longPolls--)
  if (closed.aborted) return undefined
  return { status: 200, json: inboxAnswer(messages, next) }
}

function groupKey(req: IncomingMessage): string {
  const header = req.headers.authorization
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null
  if (!match || !KEY.test(match[1]!)) throw new SignalError(401, 'missing group key (Authorization: Bearer KEY, see docs/signaling.md)')
  return match[1]!
}

/** `{"members":[{"name","seenAt","results"}],"ttl"}`, each member's results put in verbatim. */
function membersAnswer(members: RawMember[], ttl?: number): string {
  const items = members.map((m) => `{"name":${JSON.stringify(m.name)},"seenAt":${m.seenAt}${m.results !== undefined ? `,"results":${m.results}` : ''}}`)
  return `{"members":[${items.join(',')}]${ttl !== undefined ? `,"ttl":${ttl}` : ''}}`
}

function inboxAnswer(messages: RawMessage[], next: number): string {
  const items = messages.map((m) => `{"seq":${m.seq},"from":${JSON.stringify(m.from)},"type":${JSON.stringify(m.type)},"data":${m.raw}}`)
  return `{"messages":[${items.join(',')}],"next":${next}}`
}
