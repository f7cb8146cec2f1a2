import { hostname } from 'node:os'
import { iceOptionSpec, iceFromArgs, sessionOptionSpec, sessionFromArgs, parse, parseSeconds } from '../args'
import { UsageError } from '../errors'
import type { Io } from '../io'
import { Printer } from '../printer'
import { finishRun, withInterrupt } from '../finish'
import { runJoin } from '../../core/run/join'

export { joinUsage } from '../usage'

export async function joinCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { report: { type: 'string' }, json: { type: 'boolean' }, timeout: { type: 'string' }, name: { type: 'string' }, ...iceOptionSpec, ...sessionOptionSpec },
    true
  )
  if (positionals.length !== 1) throw new UsageError('join wants exactly one invite URL or offer blob')
  const ice = iceFromArgs(values)
  const printer = new Printer(io, values.json === true)
  const timeoutMs = parseSeconds(values.timeout, '--timeout', 60) * 1000
  const outcome = await withInterrupt((signal) =>
    runJoin({ target: positionals[0]!, ice, ...sessionFromArgs(values), timeoutMs, name: values.name ?? hostname(), emit: (e) => printer.run(e), signal })
  )
  return finishRun(outcome, printer, io, values.report)
}
