import { parse } from '../args'
import { groupFromArgs, groupOptionSpec } from '../groupArgs'
import type { Io } from '../io'
import { EXIT } from '../errors'
import { GroupClient, groupKey } from '../../core/signaling/groupClient'
import { SignalClientError } from '../../core/signaling/client'
import { buildMatrix, renderMatrix } from '../../shared/mesh/matrix'
import { BadInputError, NoReplyError } from '../../core/run/errors'

export { matrixUsage } from '../usage'

export async function matrixCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { ...groupOptionSpec, json: { type: 'boolean' } })
  const g = groupFromArgs(values, process.env)
  let members
  try {
    members = await new GroupClient(g.signal, g.group, groupKey(g.group, g.secret)).list()
  } catch (err) {
    const e = err as SignalClientError
    if (e.status === 0) throw new NoReplyError(e.message)
    if (e.status === 401) throw new BadInputError(`wrong group secret for group ${g.group}`)
    if (e.status === 404) throw new BadInputError(`no agent in group ${g.group} (none registered, or all expired)`)
    throw new BadInputError(`the signaling server refused: ${e.message}`)
  }
  const matrix = buildMatrix(members)
  io.stdout(values.json ? JSON.stringify(matrix) + '\n' : renderMatrix(matrix))
  return EXIT.ok
}
