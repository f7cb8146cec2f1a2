// TLS failures toward a turns: server in words, from real TLS handshakes on loopback (a self-signed
// certificate made with openssl, a port that speaks plain text, a server that hangs up) and, for the
// codes a loopback handshake cannot produce without trusting a CA, from Node's own error shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer as createTcp, type Server } from 'node:net'
import { createServer as createTls } from 'node:tls'
import { probeTurn } from '../../../src/core/servercheck/serverProbe'
import { explainTlsError } from '../../../src/core/servercheck/tlsErrors'
import { tempDir } from '../../helpers/tempDir'

const dir = tempDir('tls')
const openssl = (() => {
  try {
    execFileSync('openssl', ['version'])
    return true
  } catch {
    return false
  }
})()

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)))
}

describe('TLS failures in words', () => {
  const servers: Server[] = []
  afterAll(() => servers.forEach((s) => s.close()))
  const ports: Record<string, number> = {}

  beforeAll(async () => {
    if (openssl) {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=turn.lab.example', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
      const tls = createTls({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (s) => s.destroy())
      servers.push(tls)
      ports.selfSigned = await listen(tls)
    }
    const plain = createTcp((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'))
    servers.push(plain)
    ports.plain = await listen(plain)
    const hangup = createTcp((s) => s.destroy())
    servers.push(hangup)
    ports.hangup = await listen(hangup)
  })

  it.skipIf(!openssl)('a self-signed certificate: not trusted here, and how to trust it', async () => {
    const p = await probeTurn(`turns:127.0.0.1:${ports.selfSigned}`, 'u', 'p')
    expect(p.reachable).toBe(false)
    expect(p.error?.reason).toMatch(/^TLS to 127\.0\.0\.1:\d+: the server's certificate is not trusted here \(self-signed\): install its CA, or point NODE_EXTRA_CA_CERTS at it$/)
  })

  it('a port that does not speak TLS: handshake refused, try plain TURN over TCP', async () => {
    const p = await probeTurn(`turns:127.0.0.1:${ports.plain}`, 'u', 'p')
    expect(p.error?.reason).toMatch(/the handshake was refused: the port does not speak TLS .*transport=tcp/)
  })

  it('a server that hangs up: handshake refused, closed before TLS', async () => {
    const p = await probeTurn(`turns:127.0.0.1:${ports.hangup}`, 'u', 'p')
    expect(p.error?.reason).toMatch(/the handshake was refused: the connection was closed before TLS was set up/)
  })

  it.each([
    [{ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify the first certificate' }, /not trusted here \(issued by a CA this machine does not know\)/],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames: Host: turn.example.org. is not in the cert's altnames: DNS:turn.lab.example" }, /the certificate is for another name \(DNS:turn\.lab\.example\): use the name on the certificate/],
    [{ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, /has expired/],
    [{ code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'C0:...:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure' }, /the handshake was refused by the server \(sslv3 alert handshake failure\)/],
    [{ code: 'EWHATEVER', message: 'something else' }, /failed: something else \(EWHATEVER\)/]
  ])('%o', (err, words) => {
    expect(explainTlsError(err, 'turn.example.org', 443)).toMatch(words)
  })
})
