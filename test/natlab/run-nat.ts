// Runs `peerlens nat` as a whole process from the source tree, for the lab tests and the benchmark,
// until src/cli/main.ts has the `nat` subcommand: node --import tsx test/natlab/run-nat.ts ARGS
import { natCommand } from '../../src/cli/commands/nat'

const code = await natCommand(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s)
})
process.exitCode = code
