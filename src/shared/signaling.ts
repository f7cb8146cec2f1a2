// Signaling protocol v1: the wire types shared by server, clients and third-party peers.
// docs/signaling.md is the prose version of this file.

export const PROTOCOL_VERSION = 1
export const MESSAGE_TYPE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/
export const MAX_BODY_BYTES = 64 * 1024
export const MAX_WAIT_SECONDS = 30
export const DEFAULT_WAIT_SECONDS = 25
export const HOST_PEER_ID = 'host'
export const JOIN_PEER_ID = 'join'

export interface HealthResponse {
  name: 'peerlens'
  protocol: number
  version: string
}

export interface CreateRoomResponse {
  room: string
  secret: string
  hostToken: string
}

export interface JoinResponse {
  peerId: string
  token: string
}

export interface SignalMessage {
  seq: number
  from: string
  type: string
  data: unknown
}

export interface PollResponse {
  messages: SignalMessage[]
  next: number
}

// Message types, features and hello: src/shared/protocol/.
