import { hostname } from 'node:os'
import { iceOptionSpec, iceFromArgs, sessionOptionSpec, sessionFromArgs, parse, parseSeconds } from '../args'
import { UsageError } from '../errors'
import type { Io } from '../io'
import { Printer } from '../printer'
import { checkWritable } from '../reportFile'
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
  if (values['port-test'] !== undefined) throw new UsageError('--port-test is for the host: it picks the ports and the joiner takes part in the test on its own')
  const ice = iceFromArgs(values, process.env, (line) => io.stderr(line + '\n'))
  const printer = new Printer(io, values.json === true)
  const timeoutMs = parseSeconds(values.timeout, '--timeout', 60) * 1000
  const session = sessionFromArgs(values)
  // Before anything starts: a two-machine session is not lost to a report that cannot be written.
  if (values.report !== undefined) await checkWritable(values.report)
  const outcome = await withInterrupt((signal) =>
    runJoin({ target: positionals[0]!, ice, ...session, timeoutMs, name: values.name ?? hostname(), emit: (e) => printer.run(e), signal })
  )
  return finishRun(outcome, printer, io, values.report)
}
