import type { CreateRoomResponse, JoinResponse } from '../../shared/signaling'

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
