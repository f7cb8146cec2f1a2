import { iceOptionSpec, iceFromArgs, sessionOptionSpec, sessionFromArgs, parse, parseHttpUrl, parseListen, parseSeconds } from '../args'
import { checkWritable } from '../reportFile'
import { UsageError } from '../errors'
import type { Io } from '../io'
import { Printer } from '../printer'
import { finishRun, withInterrupt } from '../finish'
import { runHost, type HostMode } from '../../core/run/host'
import { readJoinPageAssets } from '../../core/signaling/joinPage'
import type { CliContext } from '../main'
import { hostname } from 'node:os'

export { hostUsage } from '../usage'

export async function hostCommand(argv: string[], io: Io, ctx: CliContext = {}): Promise<number> {
  const { values } = parse(argv, {
    listen: { type: 'string' },
    signal: { type: 'string' },
    manual: { type: 'boolean' },
    'public-url': { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    timeout: { type: 'string' },
    name: { type: 'string' },
    ...iceOptionSpec,
    ...sessionOptionSpec
  })
  const modes = [values.listen !== undefined, values.signal !== undefined, values.manual === true].filter(Boolean).length
  if (modes > 1) throw new UsageError('choose one of --listen, --signal and --manual')
  const ice = iceFromArgs(values, process.env, (line) => io.stderr(line + '\n'))
  const printer = new Printer(io, values.json === true)
  const timeoutMs = parseSeconds(values.timeout, '--timeout', 600) * 1000
  const session = sessionFromArgs(values)
  if (values['public-url'] !== undefined) {
    parseHttpUrl(values['public-url'], '--public-url')
    if (values.signal !== undefined || values.manual) throw new UsageError('--public-url is for the embedded server (--listen): with --signal, the signaling URL is the public one')
  }
  if (values.signal !== undefined) parseHttpUrl(values.signal, '--signal')
  // Before anything starts: a two-machine session is not lost to a report that cannot be written.
  if (values.report !== undefined) await checkWritable(values.report)

  let mode: HostMode
  if (values.manual) {
    if (!io.readLine) throw new UsageError('--manual needs standard input for the answer')
    mode = { kind: 'manual', readAnswer: io.readLine }
  } else if (values.signal !== undefined) {
    mode = { kind: 'remote', url: values.signal }
  } else {
    const { host, port } = parseListen(values.listen ?? '0.0.0.0:8080')
    const joinPage = ctx.joinPageDir ? await readJoinPageAssets(ctx.joinPageDir) : undefined
    mode = { kind: 'embedded', host, port, joinPage, ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}) }
  }
  const outcome = await withInterrupt((signal) => runHost({ mode, ice, ...session, timeoutMs, name: values.name ?? hostname(), emit: (e) => printer.run(e), signal }))
  return finishRun(outcome, printer, io, values.report)
}
