// Reads a group's matrix from the signaling server's group directory: what `peerlens matrix` prints
// and the app's Mesh screen shows. The secret only keys the group's HMAC (groupKey); it is never sent.
import { GroupClient, groupKey } from '../signaling/groupClient'
import type { SignalClientError } from '../signaling/client'
import { buildMatrix, type Matrix } from '../../shared/mesh/matrix'
import { BadInputError, NoReplyError } from '../run/errors'

/** The latest verdict of every pair of `group`; a one-line BadInputError or NoReplyError when it cannot be read. */
export async function readGroupMatrix(signal: string, group: string, secret: string): Promise<Matrix> {
  let members
  try {
    members = await new GroupClient(signal, group, groupKey(group, secret)).list()
  } catch (err) {
    const e = err as SignalClientError
    if (e.status === 0) throw new NoReplyError(e.message)
    if (e.status === 401) throw new BadInputError(`wrong group secret for group ${group}`)
    if (e.status === 404) throw new BadInputError(`no agent in group ${group} (none registered, or all expired)`)
    throw new BadInputError(`the signaling server refused: ${e.message}`)
  }
  return buildMatrix(members)
}
