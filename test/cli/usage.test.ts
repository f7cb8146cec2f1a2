// Issue 17 item 4: every command answers --help with its own usage, and the parser's complaints
// come out as plain words, one line, exit 2. Real `peerlens` processes.
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli'
import { hostHelp } from '../../src/cli/usage'
import { DEFAULT_THROUGHPUT_BYTES } from '../../src/core/peer/waits'
import { DEFAULT_MEASURE_S } from '../../src/core/peer/pathMeter'

describe('peerlens COMMAND --help', () => {
  for (const command of ['host', 'join', 'signal', 'nat', 'show']) {
    it(`${command} --help prints that command's usage on stdout, exit 0`, async () => {
      for (const flag of ['--help', '-h']) {
        const r = await runCli([command, flag])
        expect(r.code, r.stderr).toBe(0)
        expect(r.stderr).toBe('')
        expect(r.stdout).toMatch(new RegExp(`^usage: peerlens ${command} `))
        expect(r.stdout).not.toMatch(/Unknown option/i)
      }
    })
  }

  it('help wins over other arguments, even bad ones', async () => {
    const r = await runCli(['join', 'not-an-invite', '--timeout', '0', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^usage: peerlens join /)
  })

  it('the usage lists --turn-pass-file, and signal lists --public-url and --trust-proxy', async () => {
    expect((await runCli(['host', '--help'])).stdout).toMatch(/--turn-pass-file/)
    expect((await runCli(['join', '--help'])).stdout).toMatch(/--turn-pass-file/)
    const signal = (await runCli(['signal', '--help'])).stdout
    expect(signal).toMatch(/--public-url/)
    expect(signal).toMatch(/--trust-proxy/)
    expect((await runCli(['--help'])).stdout).toMatch(/--turn-pass-file/)
  })
})

describe('the measurement flags in the help', () => {
  it("give the engine's own defaults (the help text loads no engine, so it repeats them)", () => {
    expect(hostHelp).toContain(`--throughput-mb N         megabytes each way per path (default ${DEFAULT_THROUGHPUT_BYTES / 1024 / 1024}, 0 or off turns it off)`)
    expect(hostHelp).toMatch(new RegExp(`--measure-seconds S .*both paths both ways \\(default ${DEFAULT_MEASURE_S}\\)`))
  })
})

describe('parser complaints in plain words', () => {
  const cases: Array<{ args: string[]; says: RegExp }> = [
    { args: ['host', '--timeout', '-5'], says: /^peerlens host: --timeout wants a number of seconds above 0 and no more than 86400, got "-5"$/ },
    { args: ['host', '--timeout', '0'], says: /^peerlens host: --timeout wants a number of seconds above 0 and no more than 86400, got "0"$/ },
    { args: ['join', 'x', '--timeout', '-0.5'], says: /above 0 and no more than 86400, got "-0.5"/ },
    { args: ['host', '--timeout'], says: /^peerlens host: --timeout needs a value$/ },
    { args: ['host', '--timeout', '--json'], says: /^peerlens host: --timeout needs a value$/ },
    { args: ['host', '--json=yes'], says: /^peerlens host: --json takes no value$/ },
    { args: ['host', '--bogus'], says: /^peerlens host: unknown option --bogus \(--help lists the options\)$/ },
    { args: ['signal', 'extra'], says: /^peerlens signal: unexpected argument "extra"/ },
    { args: ['join', '--bogus', 'x'], says: /^peerlens join: unknown option --bogus/ }
  ]
  for (const { args, says } of cases) {
    it(args.join(' '), async () => {
      const r = await runCli(args)
      expect(r.code).toBe(2)
      expect(r.stderr.trim()).toMatch(says)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).not.toMatch(/ambiguous|Unknown option|from 0 to/)
    })
  }
})
