import { SignalError } from './errors'
import { randomId, secretEquals } from './secrets'
import {
  HOST_PEER_ID,
  JOIN_PEER_ID,
  type CreateRoomResponse,
  type JoinResponse,
  type PollResponse,
  type SignalMessage
} from '../../shared/signaling'

export interface RoomsOptions {
  /** A room nobody has touched for this long is deleted. */
  ttlMs?: number
  /** Undelivered bytes a room may hold before posts are refused (429). */
  maxPendingBytes?: number
  maxRooms?: number
  now?: () => number
}

interface Peer {
  id: string
  token: string
  name?: string
}

interface Stored extends SignalMessage {
  to: string
  bytes: number
}

interface Waiter {
  peerId: string
  wake: () => void
}

interface Room {
  id: string
  secret: string
  peers: Peer[]
  messages: Stored[]
  pendingBytes: number
  seq: number
  lastActive: number
  waiters: Set<Waiter>
}

/** What an authenticated request knows about its caller. */
export interface Caller {
  room: string
  peerId: string
}

/**
 * The rooms of one signaling server, in memory. Every room holds a host and at most one joiner;
 * messages go to the other peer and stay until that peer acknowledges them by polling past them.
 */
export class Rooms {
  private readonly rooms = new Map<string, Room>()
  private readonly ttlMs: number
  private readonly maxPendingBytes: number
  private readonly maxRooms: number
  private readonly now: () => number
  private sweeper: NodeJS.Timeout | undefined

  constructor(options: RoomsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000
    this.maxPendingBytes = options.maxPendingBytes ?? 1024 * 1024
    this.maxRooms = options.maxRooms ?? 10_000
    this.now = options.now ?? Date.now
    const every = Math.max(250, Math.min(this.ttlMs / 4, 30_000))
    this.sweeper = setInterval(() => this.sweep(), every)
    this.sweeper.unref()
  }

  get size(): number {
    return this.rooms.size
  }

  create(): CreateRoomResponse {
    if (this.rooms.size >= this.maxRooms) throw new SignalError(429, 'too many rooms on this server')
    let id = randomId(9)
    while (this.rooms.has(id)) id = randomId(9)
    const hostToken = randomId(32)
    const secret = randomId(24)
    this.rooms.set(id, {
      id,
      secret,
      peers: [{ id: HOST_PEER_ID, token: hostToken }],
      messages: [],
      pendingBytes: 0,
      seq: 0,
      lastActive: this.now(),
      waiters: new Set()
    })
    return { room: id, secret, hostToken }
  }

  join(roomId: string, secret: string, name?: string): JoinResponse {
    const room = this.get(roomId)
    if (!secretEquals(secret, room.secret)) throw new SignalError(403, 'wrong room secret')
    if (room.peers.length >= 2) throw new SignalError(409, 'room already has a host and a joiner')
    const peer: Peer = { id: JOIN_PEER_ID, token: randomId(32), ...(name ? { name } : {}) }
    room.peers.push(peer)
    room.lastActive = this.now()
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
    room.lastActive = this.now()
    return { room: room.id, peerId: found.id }
  }

  /** Stores a message for the other peer and returns its sequence number. */
  post(caller: Caller, type: string, data: unknown, bytes: number): number {
    const room = this.get(caller.room)
    if (room.pendingBytes + bytes > this.maxPendingBytes) {
      throw new SignalError(429, 'too many undelivered messages in this room')
    }
    const to = caller.peerId === HOST_PEER_ID ? JOIN_PEER_ID : HOST_PEER_ID
    const seq = ++room.seq
    room.messages.push({ seq, from: caller.peerId, to, type, data, bytes })
    room.pendingBytes += bytes
    room.lastActive = this.now()
    for (const waiter of room.waiters) if (waiter.peerId === to) waiter.wake()
    return seq
  }

  /**
   * Returns the caller's messages after `after`, waiting up to `waitMs` for one to arrive.
   * Polling with `after` acknowledges everything up to it, which frees that memory.
   */
  async poll(caller: Caller, after: number, waitMs: number, signal?: AbortSignal): Promise<PollResponse> {
    const room = this.get(caller.room)
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
      // The room may have expired while we waited.
      found = this.pending(this.get(caller.room), caller.peerId, after)
    }
    room.lastActive = this.now()
    const messages = found.map(({ seq, from, type, data }) => ({ seq, from, type, data }))
    return { messages, next: messages.length ? messages[messages.length - 1]!.seq : after }
  }

  /** Deletes rooms idle for longer than the TTL, waking their pollers. */
  sweep(): number {
    const cutoff = this.now() - this.ttlMs
    let removed = 0
    for (const room of this.rooms.values()) {
      if (room.lastActive <= cutoff && room.waiters.size === 0) {
        this.delete(room.id)
        removed++
      }
    }
    return removed
  }

  delete(roomId: string): void {
    const room = this.rooms.get(roomId)
    if (!room) return
    this.rooms.delete(roomId)
    for (const waiter of room.waiters) waiter.wake()
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper)
    this.sweeper = undefined
    for (const id of [...this.rooms.keys()]) this.delete(id)
  }

  private get(roomId: string): Room {
    const room = this.rooms.get(roomId)
    if (!room) throw new SignalError(404, 'unknown room')
    return room
  }

  private pending(room: Room, peerId: string, after: number): Stored[] {
    return room.messages.filter((m) => m.to === peerId && m.seq > after)
  }

  private acknowledge(room: Room, peerId: string, after: number): void {
    if (!room.messages.some((m) => m.to === peerId && m.seq <= after)) return
    room.messages = room.messages.filter((m) => {
      const acked = m.to === peerId && m.seq <= after
      if (acked) room.pendingBytes -= m.bytes
      return !acked
    })
  }
}
