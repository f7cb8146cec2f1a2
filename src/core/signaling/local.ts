import { PollingChannel, type SignalChannel } from './channel'
import { SignalError } from './errors'
import type { Rooms } from './rooms'
import { HOST_PEER_ID, type CreateRoomResponse } from '../../shared/signaling'

/**
 * The embedded host's own end of a room: it creates the room in-process and talks to the
 * Rooms store directly, with the same semantics as a remote peer over HTTP.
 */
export function localHostChannel(rooms: Rooms): { created: CreateRoomResponse; channel: SignalChannel } {
  const created = rooms.create()
  const caller = rooms.authenticate(created.room, created.hostToken)
  const channel = new PollingChannel(HOST_PEER_ID, {
    async post(type, data) {
      return rooms.post(rooms.authenticate(caller.room, created.hostToken), type, data)
    },
    poll(after, signal) {
      return rooms.poll(rooms.authenticate(caller.room, created.hostToken), after, 25_000, signal)
    },
    isFatal(error) {
      return error instanceof SignalError
    }
  })
  return { created, channel }
}
