// Issue 15 items 9 and 10 and issue 17 item 4: the TURN password from a file (and a warning when it
// is on the command line), URLs that must be http or https, options only the host takes.
import { afterEach, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, startCli, type Running } from '../helpers/cli'
import { tempDir } from '../helpers/tempDir'

const dir = tempDir('args')
const running: Running[] = []
afterEach(() => {
  for (const r of running.splice(0)) r.kill()
})

const SECRET = 'hunter2-from-a-file'

/** A host that probes a TURN server on a closed loopback port and gives up after a second. */
async function hostWithTurn(extra: string[], env: NodeJS.ProcessEnv = {}) {
  const r = startCli(['host', '--offline', '--listen', '127.0.0.1:0', '--no-nat', '--timeout', '1', '--turn', 'turn:127.0.0.1:9', '--turn-user', 'u', '--json', ...extra], { env })
  running.push(r)
  const code = await r.exit
  return { code, stdout: r.stdout(), stderr: r.stderr() }
}

describe('the TURN password', () => {
  it('--turn-pass-file: the first line, trimmed, is the password; no warning', async () => {
    const file = join(dir, 'pass')
    writeFileSync(file, `  ${SECRET}  \nsecond line\n`)
    const r = await hostWithTurn(['--turn-pass-file', file])
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).not.toMatch(/warning/)
    expect(r.stdout + r.stderr).not.toContain(SECRET)
    // The TURN probe ran with credentials: no "needs --turn-user and a password" usage error.
    expect(r.stdout).toMatch(/"event":"result"/)
  })

  it('--turn-pass warns on stderr, in one line, how to avoid it', async () => {
    const r = await hostWithTurn(['--turn-pass', SECRET])
    const warnings = r.stderr.split('\n').filter((l) => /warning/.test(l))
    expect(warnings).toEqual([expect.stringMatching(/--turn-pass shows the password .*--turn-pass-file FILE or PEERLENS_TURN_PASS/)])
    expect(r.stdout + r.stderr).not.toContain(SECRET)
  })

  it('PEERLENS_TURN_PASS still works, without a warning', async () => {
    const r = await hostWithTurn([], { PEERLENS_TURN_PASS: SECRET })
    expect(r.stdout).toMatch(/"event":"result"/)
    expect(r.stderr).not.toMatch(/warning/)
  })

  it('a missing or empty password file, or both flags: exit 2 with one line', async () => {
    const empty = join(dir, 'empty')
    writeFileSync(empty, '\nsecret on the second line\n')
    for (const [args, says] of [
      [['--turn-pass-file', join(dir, 'nope')], /cannot read --turn-pass-file .*nope: no such file/],
      [['--turn-pass-file', empty], /the first line is empty/],
      [['--turn-pass-file', empty, '--turn-pass', 'x'], /choose one of --turn-pass and --turn-pass-file/]
    ] as const) {
      const r = await runCli(['host', '--turn', 'turn:127.0.0.1:9', '--turn-user', 'u', ...args])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(says)
    }
  })
})

describe('URLs and options that do not belong', () => {
  it('host --signal ftp://x/ is a usage error (exit 2), not "unreachable"', async () => {
    const r = await runCli(['host', '--signal', 'ftp://x/'])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe('peerlens host: --signal wants an http:// or https:// URL, got "ftp://x/"')
  })

  it('--public-url javascript:... is refused by host and signal, and never printed as an invite', async () => {
    for (const command of ['host', 'signal']) {
      const r = await runCli([command, '--listen', '127.0.0.1:0', '--public-url', 'javascript:alert(1)//'])
      expect(r.code, command).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr.trim()).toBe(`peerlens ${command}: --public-url wants an http:// or https:// URL, got "javascript:alert(1)//"`)
    }
  })

  it('host --public-url with --signal is refused: the signaling URL is the public one', async () => {
    const r = await runCli(['host', '--signal', 'http://127.0.0.1:1/', '--public-url', 'https://example.org/'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--public-url is for the embedded server/)
  })

  it('join --port-test is refused: only the host runs it', async () => {
    const r = await runCli(['join', 'http://127.0.0.1:1/join/room#secret', '--port-test', '51820'])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toMatch(/^peerlens join: --port-test is for the host/)
  })

  it("join '...#%' says the invite is damaged instead of \"URI malformed\"", async () => {
    const r = await runCli(['join', 'http://127.0.0.1:1/join/room#abc%'])
    expect(r.code).toBe(2)
    expect(r.stderr).not.toMatch(/URI malformed/)
    expect(r.stderr.trim()).toMatch(/^peerlens join: the invite's #SECRET part is damaged/)
  })
})

describe('the measurement budget', () => {
  it.each([
    [['--measure-seconds', '0.5'], /--measure-seconds wants seconds from 1 to 120/],
    [['--measure-seconds', 'soon'], /--measure-seconds wants seconds/],
    [['--throughput-mb', 'lots'], /--throughput-mb wants megabytes from 0 \(off\)/]
  ])('%j is refused with a clear message', async (args, message) => {
    const r = await runCli(['host', '--offline', '--listen', '127.0.0.1:0', ...args])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(message)
  })
})
