import { SignalError } from './errors'
import { randomId, secretEquals } from './secrets'
import { Budget, storedCost } from './budget'
import { roomLimits, type Caller, type RawMessage, type RoomLimits, type RoomStore, type StoreStats } from './store'
import {
  HOST_PEER_ID,
  JOIN_PEER_ID,
  type CreateRoomResponse,
  type JoinResponse,
  type PollResponse
} from '../../shared/signaling'

export interface RoomsOptions {
  /** A room nobody has touched for this long is deleted. */
  ttlMs?: number
  /** Stored bytes of undelivered messages one room may hold before posts are refused (429). */
  maxPendingBytes?: number
  /** Stored bytes of undelivered messages in all rooms together before posts are refused (503). */
  maxStoredBytes?: number
  /** Rooms on the server (503 past it) and rooms opened from one address (429 past it). */
  maxRooms?: number
  maxRoomsPerAddress?: number
  /** A joiner that has said no hello and not polled for this long loses its place (see freeJoiner). */
  joinerIdleMs?: number
  now?: () => number
}

/** The sender of the messages the server itself puts in a room (`peer-left`). */
export const SERVER_PEER_ID = 'server'

interface Peer {
  id: string
  token: string
  name?: string
  /** The joiner only: whether it has posted its hello, and when it last polled. */
  helloed: boolean
  lastPoll: number
  /** The joiner said bye: the next joiner may take its place (it keeps reading until then). */
  left?: boolean
}

export type { Caller, RawMessage } from './store'

interface Stored extends RawMessage {
  to: string
  cost: number
}

interface Waiter {
  peerId: string
  wake: () => void
}

interface Room {
  id: string
  secret: string
  /** The address that opened it ('' for the embedded host's own room): rooms per address. */
  owner: string
  peers: Peer[]
  messages: Stored[]
  pendingBytes: number
  seq: number
  lastActive: number
  waiters: Set<Waiter>
}

/**
 * The rooms of one signaling server, in memory. Every room holds a host and at most one joiner;
 * messages go to the other peer and stay until that peer acknowledges them by polling past them.
 * Memory is bounded by counting what is stored: the raw text of every undelivered message against
 * its room's budget and the server's, and rooms against a cap per address and overall.
 */
export class Rooms implements RoomStore {
  private readonly rooms = new Map<string, Room>()
  private readonly perAddress = new Map<string, number>()
  private readonly stored: Budget
  private readonly limits: RoomLimits
  private timers: NodeJS.Timeout[] = []

  constructor(options: RoomsOptions = {}) {
    this.limits = roomLimits(options, { maxStoredBytes: 32 * 1024 * 1024, maxRooms: 10_000 })
    this.stored = new Budget(this.limits.maxStoredBytes)
    const every = Math.max(250, Math.min(this.limits.ttlMs / 4, 30_000))
    this.timers.push(setInterval(() => this.sweep(), every))
    this.timers.push(setInterval(() => this.freeQuietJoiners(), Math.max(100, Math.min(this.limits.joinerIdleMs / 4, 1000))))
    for (const timer of this.timers) timer.unref()
  }

  get size(): number {
    return this.rooms.size
  }

  /** Stored bytes of undelivered messages, all rooms together. */
  get storedBytes(): number {
    return this.stored.used
  }

  stats(): StoreStats {
    let peers = 0
    let messages = 0
    for (const room of this.rooms.values()) {
      peers += room.peers.length
      messages += room.messages.length
    }
    return { rooms: this.rooms.size, peers, messages, storedBytes: this.stored.used }
  }

  /** Opens a room for `owner` (a client address; '' for the embedded host's own room, never capped). */
  create(owner = ''): CreateRoomResponse {
    if (this.rooms.size >= this.limits.maxRooms) throw new SignalError(503, 'server full: too many rooms; try again later', { 'retry-after': '60' })
    const mine = this.perAddress.get(owner) ?? 0
    if (owner && mine >= this.limits.maxRoomsPerAddress) {
      throw new SignalError(429, `too many rooms from your address (at most ${this.limits.maxRoomsPerAddress} at once)`, { 'retry-after': '60' })
    }
    let id = randomId(9)
    while (this.rooms.has(id)) id = randomId(9)
    const hostToken = randomId(32)
    const secret = randomId(24)
    this.rooms.set(id, {
      id,
      secret,
      owner,
      peers: [{ id: HOST_PEER_ID, token: hostToken, helloed: true, lastPoll: this.limits.now() }],
      messages: [],
      pendingBytes: 0,
      seq: 0,
      lastActive: this.limits.now(),
      waiters: new Set()
    })
    if (owner) this.perAddress.set(owner, mine + 1)
    return { room: id, secret, hostToken }
  }

  join(roomId: string, secret: string, name?: string): JoinResponse {
    const room = this.get(roomId)
    if (!secretEquals(secret, room.secret)) throw new SignalError(403, 'wrong room secret')
    const holder = room.peers[1]
    // The host read the bye itself: no notice from the server on top of it.
    if (holder?.left) this.freeJoiner(room)
    else if (holder && this.isQuiet(room, holder)) this.freeJoiner(room, 'the joiner went quiet before saying hello')
    if (room.peers.length >= 2) throw new SignalError(409, 'room already has a host and a joiner')
    const peer: Peer = { id: JOIN_PEER_ID, token: randomId(32), ...(name ? { name } : {}), helloed: false, lastPoll: this.limits.now() }
    room.peers.push(peer)
    room.lastActive = this.limits.now()
    return { peerId: peer.id, token: peer.token }
  }

  /** Finds the peer a bearer token belongs to; tokens are valid in their own room only. */
  authenticate(roomId: string, token: string | undefined): Caller {
    const room = this.get(roomId)
    if (!token) throw new SignalError(401, 'missing bearer token')
    // Compare against every peer so the time taken does not tell which one matched.
    let found: Peer | undefined
    for (const peer of room.peers) if (secretEquals(token, peer.token)) found = peer
    if (!found) throw new SignalError(401, 'invalid token for this room')
    room.lastActive = this.limits.now()
    return { room: room.id, peerId: found.id }
  }

  /**
   * Stores a message for the other peer; `data` is serialized to the text that is stored, and that
   * text is what is counted (a byte count passed by older callers is ignored).
   */
  post(caller: Caller, type: string, data: unknown, _bytes?: number): number {
    return this.postRaw(caller, type, JSON.stringify(data ?? null))
  }

  /**
   * Stores a message whose data is `raw`, valid JSON text (what the sender posted, verbatim), for
   * the other peer; returns its sequence number. After a joiner's `bye` its place is free: it
   * keeps its token until another joiner takes the place.
   */
  postRaw(caller: Caller, type: string, raw: string): number {
    const room = this.get(caller.room)
    const peer = room.peers.find((p) => p.id === caller.peerId)
    if (!peer) throw new SignalError(401, 'invalid token for this room')
    const cost = storedCost(raw, type)
    if (room.pendingBytes + cost > this.limits.maxPendingBytes) {
      throw new SignalError(429, 'too many undelivered messages in this room')
    }
    this.stored.take(cost)
    if (type === 'hello') peer.helloed = true
    const seq = this.store(room, caller.peerId, type, raw, cost)
    if (caller.peerId === JOIN_PEER_ID && type === 'bye') peer.left = true
    return seq
  }

  /** Returns the caller's messages after `after`, with their data parsed (the embedded host's channel). */
  async poll(caller: Caller, after: number, waitMs: number, signal?: AbortSignal): Promise<PollResponse> {
    const { messages, next } = await this.pollRaw(caller, after, waitMs, signal)
    return { messages: messages.map(({ raw, ...m }) => ({ ...m, data: JSON.parse(raw) as unknown })), next }
  }

  /**
   * Returns the caller's messages after `after`, waiting up to `waitMs` for one to arrive.
   * Polling with `after` acknowledges everything up to it, which frees that memory.
   */
  async pollRaw(caller: Caller, after: number, waitMs: number, signal?: AbortSignal): Promise<{ messages: RawMessage[]; next: number }> {
    const room = this.get(caller.room)
    const peer = room.peers.find((p) => p.id === caller.peerId)
    if (!peer) throw new SignalError(401, 'invalid token for this room')
    peer.lastPoll = this.limits.now()
    this.acknowledge(room, caller.peerId, after)
    let found = this.pending(room, caller.peerId, after)
    if (found.length === 0 && waitMs > 0 && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const waiter: Waiter = { peerId: caller.peerId, wake: () => done() }
        const timer = setTimeout(() => done(), waitMs)
        const done = (): void => {
          clearTimeout(timer)
          room.waiters.delete(waiter)
          signal?.removeEventListener('abort', done)
          resolve()
        }
        room.waiters.add(waiter)
        signal?.addEventListener('abort', done)
      })
      // The room may have expired, or the caller lost its place, while we waited.
      const now = this.get(caller.room)
      if (!now.peers.includes(peer)) throw new SignalError(401, 'invalid token for this room')
      found = this.pending(now, caller.peerId, after)
    }
    peer.lastPoll = this.limits.now()
    room.lastActive = this.limits.now()
    const messages = found.map(({ seq, from, type, raw }) => ({ seq, from, type, raw }))
    return { messages, next: messages.length ? messages[messages.length - 1]!.seq : after }
  }

  /** Deletes rooms idle for longer than the TTL, waking their pollers. */
  sweep(): number {
    const cutoff = this.limits.now() - this.limits.ttlMs
    let removed = 0
    for (const room of this.rooms.values()) {
      if (room.lastActive <= cutoff && room.waiters.size === 0) {
        this.delete(room.id)
        removed++
      }
    }
    return removed
  }

  /** Frees the place of every joiner that has said no hello and not polled for joinerIdleMs. */
  freeQuietJoiners(): void {
    for (const room of this.rooms.values()) {
      const holder = room.peers[1]
      if (holder && this.isQuiet(room, holder)) this.freeJoiner(room, 'the joiner went quiet before saying hello')
    }
  }

  delete(roomId: string): void {
    const room = this.rooms.get(roomId)
    if (!room) return
    this.rooms.delete(roomId)
    for (const m of room.messages) this.stored.give(m.cost)
    if (room.owner) {
      const left = (this.perAddress.get(room.owner) ?? 1) - 1
      if (left > 0) this.perAddress.set(room.owner, left)
      else this.perAddress.delete(room.owner)
    }
    for (const waiter of room.waiters) waiter.wake()
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer)
    this.timers = []
    for (const id of [...this.rooms.keys()]) this.delete(id)
  }

  private get(roomId: string): Room {
    const room = this.rooms.get(roomId)
    if (!room) throw new SignalError(404, 'unknown room')
    return room
  }

  private store(room: Room, from: string, type: string, raw: string, cost: number): number {
    const to = from === HOST_PEER_ID ? JOIN_PEER_ID : HOST_PEER_ID
    const seq = ++room.seq
    room.messages.push({ seq, from, to, type, raw, cost })
    room.pendingBytes += cost
    room.lastActive = this.limits.now()
    for (const waiter of room.waiters) if (waiter.peerId === to) waiter.wake()
    return seq
  }

  /** A joiner holding the place without using it: no hello, no poll waiting, none for joinerIdleMs. */
  private isQuiet(room: Room, peer: Peer): boolean {
    if (peer.helloed || this.limits.now() - peer.lastPoll < this.limits.joinerIdleMs) return false
    for (const waiter of room.waiters) if (waiter.peerId === peer.id) return false
    return true
  }

  /**
   * Gives the joiner's place back, so the real joiner can take it: its token stops working and
   * what was waiting for it is dropped. With a reason (it went quiet), the host gets a `peer-left`
   * message from the server saying so.
   */
  private freeJoiner(room: Room, reason?: string): void {
    const [host, joiner] = room.peers
    if (!joiner) return
    room.peers = [host!]
    room.messages = room.messages.filter((m) => {
      if (m.to !== joiner.id) return true
      room.pendingBytes -= m.cost
      this.stored.give(m.cost)
      return false
    })
    for (const waiter of room.waiters) if (waiter.peerId === joiner.id) waiter.wake()
    if (!reason) return
    // Counted like any message, but never refused: it is small and the host must learn of it.
    const raw = JSON.stringify({ peer: joiner.id, reason })
    const cost = storedCost(raw, 'peer-left')
    this.stored.force(cost)
    room.seq++
    room.messages.push({ seq: room.seq, from: SERVER_PEER_ID, to: HOST_PEER_ID, type: 'peer-left', raw, cost })
    room.pendingBytes += cost
    for (const waiter of room.waiters) if (waiter.peerId === HOST_PEER_ID) waiter.wake()
  }

  private pending(room: Room, peerId: string, after: number): Stored[] {
    return room.messages.filter((m) => m.to === peerId && m.seq > after)
  }

  private acknowledge(room: Room, peerId: string, after: number): void {
    if (!room.messages.some((m) => m.to === peerId && m.seq <= after)) return
    room.messages = room.messages.filter((m) => {
      const acked = m.to === peerId && m.seq <= after
      if (acked) {
        room.pendingBytes -= m.cost
        this.stored.give(m.cost)
      }
      return !acked
    })
  }
}
