import { iceOptionSpec, iceFromArgs, isLoopback, parse, parseSeconds } from '../args'
import { NoReplyError, UsageError } from '../errors'
import type { Io } from '../io'
import { Printer } from '../printer'
import { runPeer } from '../runPeer'
import { httpChannel, joinRoom, SignalClientError } from '../../core/signaling/client'
import { InviteError, parseInvite } from '../../core/signaling/invite'
import { BlobError, decodeBlob, isBlob, ManualChannel } from '../../core/signaling/manual'
import { StunResponder } from '../../core/stun/responder'
import { hostname } from 'node:os'

export const joinUsage = `peerlens join INVITE|OFFER-BLOB [--stun URL]... [--turn URL]... [--turn-user U] [--turn-pass P] [--relay]
              [--report FILE] [--json] [--timeout S] [--name NAME]`

export async function joinCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { report: { type: 'string' }, json: { type: 'boolean' }, timeout: { type: 'string' }, name: { type: 'string' }, ...iceOptionSpec },
    true
  )
  if (positionals.length !== 1) throw new UsageError('join wants exactly one invite URL or offer blob')
  const ice = iceFromArgs(values)
  const printer = new Printer(io, values.json === true)
  const timeoutMs = parseSeconds(values.timeout, '--timeout', 60) * 1000
  const name = values.name ?? hostname()
  const common = { role: 'join' as const, printer, io, timeoutMs, reportFile: values.report, name }
  const target = positionals[0]!

  if (isBlob(target)) {
    let initial
    try {
      initial = decodeBlob(target)
    } catch (err) {
      throw new UsageError((err as BlobError).message)
    }
    const stun = new StunResponder()
    if (!ice.stun.length) ice.stun = [`stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`]
    ice.additionalHostAddresses ??= ['127.0.0.1']
    const channel = new ManualChannel({
      peerId: 'join',
      initial,
      onBlob: (blob) => {
        printer.main('answer', { blob }, `answer: ${blob}`)
        printer.progress('waiting', {}, 'give the answer to the host; connecting...')
      }
    })
    try {
      return await runPeer({ ...common, ice, channel })
    } finally {
      await stun.close()
    }
  }

  let invite
  try {
    invite = parseInvite(target)
  } catch (err) {
    throw new UsageError((err as InviteError).message)
  }
  let joined
  try {
    joined = await joinRoom(invite.server, invite.room, invite.secret, name)
  } catch (err) {
    if (!(err instanceof SignalClientError)) throw err
    if (err.status === 0) throw new NoReplyError(err.message)
    if (err.status === 403) throw new UsageError('wrong room secret: copy the whole invite, including the part after #')
    if (err.status === 404) throw new UsageError('unknown room: the invite expired or the host stopped')
    if (err.status === 409) throw new UsageError('the room already has a joiner')
    throw new UsageError(`the signaling server refused to join: ${err.message}`)
  }
  const server = new URL(invite.server)
  // The server that holds the room answers STUN on its own port number: the joiner learns its address as the host sees it.
  if (!ice.stun.length) ice.stun = [`stun:${server.hostname}:${server.port || (server.protocol === 'https:' ? 443 : 80)}`]
  if (isLoopback(server.hostname)) ice.additionalHostAddresses = ['127.0.0.1']
  printer.progress('joined', { room: invite.room, peerId: joined.peerId }, `joined room ${invite.room}`)
  return runPeer({ ...common, ice, channel: httpChannel(invite.server, invite.room, joined.peerId, joined.token) })
}
