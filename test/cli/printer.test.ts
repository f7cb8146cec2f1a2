// Issue 15 item 7, the terminal: what the other side sends (its name, version, reason, NAT text,
// candidates) reaches the host's terminal without a control character. A real `peerlens host`
// process; the joiner is a hand-built PeerSession named with escape sequences (as in
// test/core/report/hostilePeer.test.ts).
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startCli, type Running } from '../helpers/cli'
import { joinByHand } from '../helpers/handJoiner'
import { installWeriftPatches } from '../../src/core/werift/patches'
import { ESCAPES, goodHalf } from '../core/report/hostileHalves'

const running: Running[] = []
afterEach(() => {
  for (const r of running.splice(0)) r.kill()
})

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

async function hostAgainstEscapes(json: boolean) {
  const host = startCli(['host', '--offline', '--listen', '127.0.0.1:0', '--timeout', '30', '--no-nat', ...(json ? ['--json'] : [])])
  running.push(host)
  const line = await host.waitFor(json ? /"event":"invite"/ : /^invite: /)
  await joinByHand(json ? JSON.parse(line).url : line.slice('invite: '.length), {
    name: ESCAPES,
    describeSide: () => ({ ...goodHalf(), name: ESCAPES, app: { name: 'peerlens', version: ESCAPES }, reason: ESCAPES })
  })
  const code = await host.exit
  return { code, stdout: host.stdout(), stderr: host.stderr() }
}

describe('peerlens host against a joiner named with escape sequences', () => {
  beforeAll(() => installWeriftPatches())

  it('prints its name cleaned: no ESC, BEL, C1 or bidi character on stdout or stderr', async () => {
    const r = await hostAgainstEscapes(false)
    expect(r.code, r.stderr).toBe(0)
    // The name was printed (cleaned), so the test would see escapes if they went through.
    expect(r.stderr + r.stdout).toMatch(/PWNED/)
    expect(r.stdout).not.toMatch(CONTROL)
    expect(r.stderr).not.toMatch(CONTROL)
  })

  it('--json: JSON Lines carry no raw control character either', async () => {
    const r = await hostAgainstEscapes(true)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/PWNED/)
    expect(r.stdout).not.toMatch(CONTROL)
    expect(r.stderr).not.toMatch(CONTROL)
    for (const line of r.stdout.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow()
  })
})
