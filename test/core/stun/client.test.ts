// Issue 17 item 5: `--turn turns:IP` must not print Node's DEP0123 warning ("Setting the TLS
// ServerName to an IP address is not permitted by RFC 6066"): no SNI for an IP literal.
import { afterEach, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:net'
import { startCli, type Running } from '../../helpers/cli'
import { tlsServername } from '../../../src/core/stun/client'

const running: Running[] = []
let server: Server | undefined
afterEach(async () => {
  for (const r of running.splice(0)) r.kill()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

describe('TLS server name', () => {
  it('is set for a host name and left out for an IP literal', () => {
    expect(tlsServername('turn.example.org')).toEqual({ servername: 'turn.example.org' })
    expect(tlsServername('127.0.0.1')).toEqual({})
    expect(tlsServername('::1')).toEqual({})
    expect(tlsServername('[2001:db8::1]')).toEqual({})
  })

  it('peerlens host --turn turns:127.0.0.1:PORT prints no DeprecationWarning', async () => {
    // A TCP listener that closes every connection: the TLS connect starts (the warning came at that
    // moment) and fails at once.
    server = createServer((socket) => socket.destroy())
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    const host = startCli(['host', '--listen', '127.0.0.1:0', '--no-nat', '--timeout', '2', '--turn', `turns:127.0.0.1:${port}`, '--turn-user', 'u'], {
      env: { PEERLENS_TURN_PASS: 'p' }
    })
    running.push(host)
    await host.exit
    expect(host.stderr()).toMatch(new RegExp(`server turns:127\\.0\\.0\\.1:${port}: FAILED`))
    expect(host.stderr()).not.toMatch(/DEP0123|DeprecationWarning|ServerName/)
  })
})
