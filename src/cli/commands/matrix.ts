import { parse } from '../args'
import { groupFromArgs, groupOptionSpec } from '../groupArgs'
import type { Io } from '../io'
import { EXIT } from '../errors'
import { readGroupMatrix } from '../../core/agent/matrix'
import { renderMatrix } from '../../shared/mesh/matrix'

export { matrixUsage } from '../usage'

export async function matrixCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { ...groupOptionSpec, json: { type: 'boolean' } })
  const g = groupFromArgs(values, process.env)
  const matrix = await readGroupMatrix(g.signal, g.group, g.secret)
  io.stdout(values.json ? JSON.stringify(matrix) + '\n' : renderMatrix(matrix))
  return EXIT.ok
}
