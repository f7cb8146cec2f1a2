import { EXIT, UsageError } from './errors'
import { BadInputError, NoReplyError } from '../core/run/errors'
import { processIo, type Io } from './io'
import { agentUsage, commandHelp, hostUsage, joinUsage, matrixUsage, natUsage, showUsage, signalUsage, wantsHelp } from './usage'
import { cleanBlock } from '../shared/cleanText'
import { APP_VERSION } from '../core/version'

const usage = `peerlens ${APP_VERSION}: why is my peer-to-peer connection direct or relayed?

usage:
  ${hostUsage}
  ${joinUsage}
  ${signalUsage}
  ${natUsage}
  ${showUsage}
  ${agentUsage}
  ${matrixUsage}

peerlens COMMAND --help explains a command's options.
Exit codes: 0 done, 1 internal error, 2 usage or bad input, 3 no connection or no reply.
`

/** What the launcher (bin/peerlens.mjs) knows about the installation. */
export interface CliContext {
  /** Where the built join page is (out/joinpage): the host's embedded server and `peerlens signal` serve it. */
  joinPageDir?: string | URL
}

type Command = (argv: string[], io: Io, ctx: CliContext) => Promise<number>

// Loaded on demand: `peerlens nat` and `peerlens show` start faster without the WebRTC stack.
const commands: Record<string, () => Promise<Command>> = {
  host: async () => (await import('./commands/host')).hostCommand,
  join: async () => (await import('./commands/join')).joinCommand,
  signal: async () => (await import('./commands/signal')).signalCommand,
  nat: async () => (await import('./commands/nat')).natCommand,
  show: async () => (await import('./commands/show')).showCommand,
  agent: async () => (await import('./commands/agent')).agentCommand,
  matrix: async () => (await import('./commands/matrix')).matrixCommand
}

/**
 * What reaches the terminal passes through here: whatever a peer, a server or a report file put in a
 * string, no control character (escape sequences, BEL, C1, bidi overrides) gets out. Lines stay lines.
 */
export function terminalIo(io: Io): Io {
  return { ...io, stdout: (text) => io.stdout(cleanBlock(text)), stderr: (text) => io.stderr(cleanBlock(text)) }
}

export async function main(argv: string[], rawIo: Io = processIo, ctx: CliContext = {}): Promise<number> {
  const io = terminalIo(rawIo)
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage)
    return name ? EXIT.ok : EXIT.usage
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${APP_VERSION}\n`)
    return EXIT.ok
  }
  const load = commands[name]
  if (!load) {
    io.stderr(`peerlens: unknown command ${JSON.stringify(name)} (try peerlens --help)\n`)
    return EXIT.usage
  }
  const help = commandHelp[name]
  if (help && wantsHelp(rest)) {
    io.stdout(help)
    return EXIT.ok
  }
  try {
    const command = await load()
    return await command(rest, io, ctx)
  } catch (err) {
    const message = (err as Error).message?.split('\n')[0] ?? String(err)
    if (err instanceof UsageError || err instanceof BadInputError) {
      io.stderr(`peerlens ${name}: ${message}\n`)
      return EXIT.usage
    }
    if (err instanceof NoReplyError) {
      io.stderr(`peerlens ${name}: ${message}\n`)
      return EXIT.noConnection
    }
    io.stderr(`peerlens ${name}: internal error: ${message}\n`)
    if (process.env.PEERLENS_DEBUG) io.stderr(`${(err as Error).stack}\n`)
    return EXIT.internal
  }
}

/** The process entry: bin/peerlens.mjs calls this. */
export function run(ctx: CliContext = {}): void {
  main(process.argv.slice(2), processIo, ctx).then(
    (code) => {
      process.exitCode = code
      // Sockets werift leaves behind must not keep a finished command alive.
      setTimeout(() => process.exit(code), 200).unref()
    },
    (err: unknown) => {
      process.stderr.write(`peerlens: internal error: ${String(err)}\n`)
      process.exit(EXIT.internal)
    }
  )
}
