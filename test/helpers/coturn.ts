import { spawn, type ChildProcess, execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Coturn {
  port: number
  user: string
  pass: string
  realm: string
  log: () => string
  stop: () => Promise<void>
}

export function coturnMissing(): string | undefined {
  try {
    execFileSync('turnserver', ['--version'], { stdio: 'ignore' })
    return undefined
  } catch {
    return 'coturn is not installed (apt-get install coturn)'
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** coturn on 127.0.0.1 with our own config (Debian's disables RFC 5780), long-term credentials, no TLS. */
export async function startCoturn(extra: string[] = []): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'peerlens-coturn-'))
  const port = await freePort()
  const user = 'tester'
  const pass = 'turn-test-password'
  const realm = 'peerlens.test'
  const logFile = join(dir, 'turn.log')
  const conf = [
    'listening-ip=127.0.0.1',
    `listening-port=${port}`,
    'relay-ip=127.0.0.1',
    'min-port=49152',
    'max-port=65535',
    'fingerprint',
    'lt-cred-mech',
    `user=${user}:${pass}`,
    `realm=${realm}`,
    'no-tls',
    'no-dtls',
    'no-cli',
    'allow-loopback-peers',
    'no-multicast-peers',
    `log-file=${logFile}`,
    'simple-log',
    'verbose',
    `pidfile=${join(dir, 'turn.pid')}`,
    `userdb=${join(dir, 'turndb')}`,
    ...extra
  ]
  writeFileSync(join(dir, 'turnserver.conf'), conf.join('\n') + '\n')
  const child: ChildProcess = spawn('turnserver', ['-c', join(dir, 'turnserver.conf')], { stdio: 'ignore' })
  const read = () => {
    try {
      return readFileSync(logFile, 'utf8')
    } catch {
      return ''
    }
  }
  const deadline = Date.now() + 10_000
  while (!/UDP listener opened on\s*:?\s*127\.0\.0\.1:/.test(read())) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL')
      throw new Error(`coturn did not start: ${read().slice(-2000)}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    port,
    user,
    pass,
    realm,
    log: read,
    stop: async () => {
      child.kill('SIGKILL')
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
