// `peerlens signal --stun-alt`: a self-hosted server that is enough for NAT discovery on its own.
import { describe, expect, it } from 'vitest'
import { runCli, startCli } from '../helpers/cli'

describe('peerlens signal --stun-alt', () => {
  it('answers RFC 5780 from the alternate address: `peerlens nat` against it gets both NAT behaviours', { timeout: 30_000 }, async () => {
    const server = startCli(['signal', '--listen', '127.0.0.1:0', '--stun-alt', '127.0.0.2', '--quiet'])
    try {
      const port = Number(/:(\d+)\/$/.exec(await server.waitFor(/^listening: /))![1])
      expect(await server.waitFor(/^stun: /)).toBe(`stun: RFC 5780, other address 127.0.0.2:${port + 1}`)
      const nat = await runCli(['nat', '--stun', `127.0.0.1:${port}`, '--json', '--timeout', '1000'])
      expect(nat.code, nat.stderr).toBe(0)
      const result = nat.stdout
      expect(result.replace(/\s/g, '')).toMatch(/"method":"rfc5780"/)
      expect(result.replace(/\s/g, '')).toMatch(/"filtering":"endpoint-independent"/)
    } finally {
      server.kill()
    }
  })

  it.each([
    [['--stun-alt', '127.0.0.2'], /specific address/],
    [['--listen', '127.0.0.1:3478', '--stun-alt', 'nope'], /ADDR\[:PORT\]/],
    [['--listen', '127.0.0.1:3478', '--stun-alt', '127.0.0.1'], /second address/],
    [['--listen', '127.0.0.1:3478', '--stun-alt', '127.0.0.2:3478'], /differ from 3478/],
    [['--listen', '127.0.0.1:3478', '--stun-alt', '::1'], /same address family/]
  ])('exit 2 with one line for %j', async (args, message) => {
    const r = await runCli(['signal', ...args])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })
})
