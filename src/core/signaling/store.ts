import type { CreateRoomResponse, JoinResponse } from '../../shared/signaling'
import type { RoomsOptions } from './rooms'

/** What an authenticated request knows about its caller. */
export interface Caller {
  room: string
  peerId: string
  /** The bearer token it showed (an external store checks it again inside its atomic update). */
  token?: string
}

/** A message as stored: its data is the JSON text the sender posted, never a parsed value. */
export interface RawMessage {
  seq: number
  from: string
  type: string
  raw: string
}

/** What a store holds, for /metrics and the soak. */
export interface StoreStats {
  rooms: number
  peers: number
  /** Undelivered messages and their stored bytes. */
  messages: number
  storedBytes: number
}

/**
 * Where the signaling server keeps rooms and messages: in this process (`Rooms`, the default) or
 * in Redis (`RedisStore`, for several instances behind a load balancer). The server's own rules
 * (auth headers, body budgets, Host checks, rate and connection limits) stay in server.ts; a
 * store keeps the room rules: one host and one joiner, budgets of stored bytes, order, expiry.
 * Errors are SignalErrors carrying the HTTP status.
 */
export interface RoomStore {
  create(owner: string): CreateRoomResponse | Promise<CreateRoomResponse>
  join(roomId: string, secret: string, name?: string): JoinResponse | Promise<JoinResponse>
  authenticate(roomId: string, token: string | undefined): Caller | Promise<Caller>
  postRaw(caller: Caller, type: string, raw: string): number | Promise<number>
  pollRaw(caller: Caller, after: number, waitMs: number, signal?: AbortSignal): Promise<{ messages: RawMessage[]; next: number }>
  stats(): StoreStats | Promise<StoreStats>
  close(): void | Promise<void>
}

/** A store's limits, the options with their defaults filled in (the two stores differ in capacity only). */
export interface RoomLimits {
  ttlMs: number
  maxPendingBytes: number
  maxStoredBytes: number
  maxRooms: number
  maxRoomsPerAddress: number
  joinerIdleMs: number
  now: () => number
}

export function roomLimits(o: RoomsOptions, capacity: { maxStoredBytes: number; maxRooms: number }): RoomLimits {
  return {
    ttlMs: o.ttlMs ?? 10 * 60_000,
    maxPendingBytes: o.maxPendingBytes ?? 1024 * 1024,
    maxStoredBytes: o.maxStoredBytes ?? capacity.maxStoredBytes,
    maxRooms: o.maxRooms ?? capacity.maxRooms,
    maxRoomsPerAddress: o.maxRoomsPerAddress ?? 100,
    joinerIdleMs: o.joinerIdleMs ?? 5000,
    now: o.now ?? Date.now
  }
}
