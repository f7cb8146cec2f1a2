import { SignalError } from '../errors'
import { randomId, secretEquals } from '../secrets'
import { storedCost } from '../budget'
import { roomLimits, type Caller, type RawMessage, type RoomLimits, type RoomStore, type StoreStats } from '../store'
import { RedisClient, type Reply, type RedisTarget } from './resp'
import { Wakes } from './wakes'
import * as S from './scripts'
import { longPoll, runScript, storeCall } from './call'
import { HOST_PEER_ID, JOIN_PEER_ID, type CreateRoomResponse, type JoinResponse } from '../../../shared/signaling'
import type { RoomsOptions } from '../rooms'
import { RedisGroups } from './groups'
import type { GroupOptions } from '../groupStore'

const QUIET_REASON = 'the joiner went quiet before saying hello'
const PEER_LEFT_RAW = JSON.stringify({ peer: JOIN_PEER_ID, reason: QUIET_REASON })
const PEER_LEFT_COST = storedCost(PEER_LEFT_RAW, 'peer-left')

export interface RedisStoreOptions extends RoomsOptions {
  /** Limits of the group directory kept beside the rooms (`groups`). */
  groups?: GroupOptions
  /** Prefix of every key (default `peerlens:`): several deployments can share one Redis. */
  prefix?: string
}

/**
 * Rooms and messages in Redis, so any number of `peerlens signal` instances serve the same rooms
 * and one can die without losing a message it acknowledged (202 is sent after Redis stored it).
 * The rules are those of `Rooms`, run as Lua scripts (scripts.ts); the sequence number is the
 * room's counter and each message to a peer is a stream entry with ID SEQ-0, so the protocol's
 * integer cursor is the stream position. Long polls wait on pub/sub (wakes.ts).
 */
export class RedisStore implements RoomStore {
  private readonly client: RedisClient
  private readonly wakes: Wakes
  private readonly prefix: string
  /** The group directory, in the same Redis (pass it to the server as `groups`). */
  readonly groups: RedisGroups
  private readonly limits: RoomLimits
  private timers: NodeJS.Timeout[] = []
  /** Long polls waiting on this instance. */
  waiting = 0

  constructor(
    readonly target: RedisTarget,
    options: RedisStoreOptions = {}
  ) {
    this.client = new RedisClient(target)
    this.wakes = new Wakes(target)
    this.prefix = options.prefix ?? 'peerlens:'
    this.limits = roomLimits(options, { maxStoredBytes: 256 * 1024 * 1024, maxRooms: 100_000 })
    this.groups = new RedisGroups(this.client, this.wakes, this.prefix, { ...options.groups, now: this.limits.now })
  }

  /** Connects both connections; rejects with a one-line reason when Redis cannot be reached. */
  async connect(): Promise<void> {
    await Promise.all([this.client.connect(), this.wakes.connect()])
    const every = Math.max(250, Math.min(this.limits.ttlMs / 4, 30_000))
    this.timers.push(setInterval(() => void this.sweep().catch(() => {}), every))
    this.timers.push(setInterval(() => void this.sweep(0).catch(() => {}), Math.max(100, Math.min(this.limits.joinerIdleMs / 4, 1000))))
    for (const timer of this.timers) timer.unref()
    this.groups.start()
  }

  get up(): boolean {
    return this.client.connected && this.wakes.client.connected
  }

  async create(owner = ''): Promise<CreateRoomResponse> {
    for (;;) {
      const id = randomId(9)
      const secret = randomId(24)
      const hostToken = randomId(32)
      const [status] = await this.run(S.CREATE, [id, secret, hostToken, owner, this.limits.maxRooms, this.limits.maxRoomsPerAddress])
      if (status === 409) continue
      if (status === 503) throw new SignalError(503, 'server full: too many rooms; try again later', { 'retry-after': '60' })
      if (status === 429) throw new SignalError(429, `too many rooms from your address (at most ${this.limits.maxRoomsPerAddress} at once)`, { 'retry-after': '60' })
      return { room: id, secret, hostToken }
    }
  }

  async join(roomId: string, secret: string, name?: string): Promise<JoinResponse> {
    const [stored] = (await this.call(['HMGET', this.key(roomId), 'secret'])) as Array<string | null>
    if (stored == null) throw new SignalError(404, 'unknown room')
    if (!secretEquals(secret, stored)) throw new SignalError(403, 'wrong room secret')
    const token = randomId(32)
    const [status] = await this.run(S.JOIN, [roomId, token, name ?? '', this.limits.joinerIdleMs, PEER_LEFT_RAW, PEER_LEFT_COST])
    if (status === 404) throw new SignalError(404, 'unknown room')
    if (status === 409) throw new SignalError(409, 'room already has a host and a joiner')
    return { peerId: JOIN_PEER_ID, token }
  }

  async authenticate(roomId: string, token: string | undefined): Promise<Caller> {
    const [secret, host, joiner] = (await this.call(['HMGET', this.key(roomId), 'secret', 'host', 'join'])) as Array<string | null>
    if (secret == null) throw new SignalError(404, 'unknown room')
    if (!token) throw new SignalError(401, 'missing bearer token')
    // Compare against both so the time taken does not tell which one matched.
    let found: string | undefined
    if (host && secretEquals(token, host)) found = HOST_PEER_ID
    if (joiner && secretEquals(token, joiner)) found = JOIN_PEER_ID
    if (!found) throw new SignalError(401, 'invalid token for this room')
    return { room: roomId, peerId: found, token }
  }

  async postRaw(caller: Caller, type: string, raw: string): Promise<number> {
    const cost = storedCost(raw, type)
    const [status, seq] = await this.run(S.POST, [caller.room, caller.peerId, caller.token ?? '', type, raw, cost, this.limits.maxPendingBytes, this.limits.maxStoredBytes])
    this.refuse(status)
    if (status === 429) throw new SignalError(429, 'too many undelivered messages in this room')
    if (status === 503) throw new SignalError(503, 'server full: too many undelivered messages on this server; try again later', { 'retry-after': '5' })
    return Number(seq)
  }

  async pollRaw(caller: Caller, after: number, waitMs: number, signal?: AbortSignal): Promise<{ messages: RawMessage[]; next: number }> {
    let found = await this.read(caller, after, 0)
    if (found.length === 0 && waitMs > 0 && !signal?.aborted) {
      // Marked as waiting meanwhile: a waiting joiner is not quiet, a room with one is not idle.
      this.waiting++
      try {
        found = await longPoll(this.wakes, `${this.prefix}w:${caller.room}:${caller.peerId}`, waitMs, signal, () => this.read(caller, after, this.limits.now() + waitMs), () => this.read(caller, after, 0))
      } finally {
        this.waiting--
      }
    }
    return { messages: found, next: found.length ? found[found.length - 1]!.seq : after }
  }

  async stats(): Promise<StoreStats> {
    const [, rooms, joiners, messages, storedBytes] = await this.run(S.STATS, [])
    return { rooms: Number(rooms), peers: Number(rooms) + Number(joiners), messages: Number(messages), storedBytes: Number(storedBytes) }
  }

  /** Deletes idle rooms (or, with ttlMs 0, only frees quiet joiners); returns how many rooms went. */
  async sweep(ttlMs = this.limits.ttlMs): Promise<number> {
    const [, removed] = await this.run(S.SWEEP, [ttlMs > 0 ? ttlMs : Number.MAX_SAFE_INTEGER, this.limits.joinerIdleMs, PEER_LEFT_RAW, PEER_LEFT_COST])
    return Number(removed)
  }

  async delete(roomId: string): Promise<void> {
    await this.run(S.DELETE, [roomId])
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer)
    this.timers = []
    this.groups.close()
    this.client.close()
    this.wakes.close()
  }

  private async read(caller: Caller, after: number, waitUntil: number): Promise<RawMessage[]> {
    const [status, entries] = await this.run(S.POLL, [caller.room, caller.peerId, caller.token ?? '', after, waitUntil])
    this.refuse(status)
    return (entries as Reply[][]).map(([id, fields]) => {
      const f = fields as string[]
      const get = (name: string): string => f[f.indexOf(name) + 1]!
      return { seq: Number(String(id).split('-')[0]), from: get('f'), type: get('t'), raw: get('r') }
    })
  }

  private refuse(status: Reply | undefined): void {
    if (status === 404) throw new SignalError(404, 'unknown room')
    if (status === 401) throw new SignalError(401, 'invalid token for this room')
  }

  private key(roomId: string): string {
    return `${this.prefix}room:${roomId}`
  }

  /** Runs a script (by its SHA1, sending the text only when Redis does not have it yet). */
  private run(script: string, args: Array<string | number>): Promise<Reply[]> {
    return runScript(this.client, script, [this.prefix, this.limits.now(), this.limits.ttlMs * 2 + 60_000, ...args])
  }


  private call(args: Array<string | number>): Promise<Reply> {
    return storeCall(this.client, args)
  }
}


