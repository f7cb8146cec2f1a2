// Issue 17 item 4: `--listen` on a port in use or an address not on this machine says so in words,
// with a hint, instead of Node's raw EADDRINUSE / EADDRNOTAVAIL. Real `peerlens` processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:net'
import { runCli } from '../../helpers/cli'
import { listenErrorText } from '../../../src/core/signaling/listenError'

let busy: Server
let port: number
beforeAll(async () => {
  busy = createServer()
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
  port = (busy.address() as { port: number }).port
})
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())))

describe('--listen that cannot listen', () => {
  for (const command of ['host', 'signal']) {
    it(`${command}: a port in use: one line, exit 2, the hint HOST:0`, async () => {
      const r = await runCli([command, '--listen', `127.0.0.1:${port}`])
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr.trim()).toBe(`peerlens ${command}: cannot listen on 127.0.0.1:${port}: another program is using port ${port} there (--listen 127.0.0.1:0 picks any free port)`)
    })

    it(`${command}: an address not on this machine: one line, exit 2, no EADDRNOTAVAIL`, async () => {
      // 192.0.2.1 (TEST-NET-1) is nobody's address.
      const r = await runCli([command, '--listen', '192.0.2.1:0'])
      expect(r.code).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(/192\.0\.2\.1 is not an address of this machine/)
      expect(r.stderr).not.toMatch(/EADDR/)
    })
  }

  it('brackets IPv6 in the hint and keeps an unknown error readable', () => {
    expect(listenErrorText('::1', 80, Object.assign(new Error('x'), { code: 'EADDRINUSE' }))).toBe('cannot listen on [::1]:80: another program is using port 80 there (--listen [::1]:0 picks any free port)')
    expect(listenErrorText('h', 1, new Error('strange\nsecond line'))).toBe('cannot listen on h:1: strange')
  })
})
