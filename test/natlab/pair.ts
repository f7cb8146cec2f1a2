// Shared by the lab tests that pair a `peerlens host` with a joiner of another kind (pion, Chromium):
// the lab's signaling server and a host that prints its invite.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Lab } from './lab'
import { BIN } from '../helpers/cli'
import { REPO } from './natCli'

export const SIGNAL = 'http://203.0.113.2:8080/'

/** `peerlens signal` in the lab's internet, answering its health check. */
export async function startSignal(lab: Lab): Promise<void> {
  lab.spawn(lab.internetNs, process.execPath, [BIN, 'signal', '--listen', '203.0.113.2:8080', '--quiet'])
  const deadline = Date.now() + 10_000
  for (;;) {
    const r = await lab.exec(lab.internetNs, process.execPath, ['-e', `fetch('${SIGNAL}v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`])
    if (r.code === 0) return
    if (Date.now() > deadline) throw new Error('peerlens signal did not start in the lab')
    await new Promise((r) => setTimeout(r, 100))
  }
}

export interface HostRun {
  invite: string
  /** The exit code, once the host is done. */
  exit: Promise<number | null>
  stderr(): string
}

/** `peerlens host` in a namespace, signaling through the lab's server, until it prints its invite. */
export async function startHost(lab: Lab, ns: string, report: string, args: string[]): Promise<HostRun> {
  const host = lab.spawn(ns, process.execPath, [BIN, 'host', '--signal', SIGNAL, '--timeout', '40', '--report', report, ...args])
  let out = ''
  let err = ''
  host.stdout!.on('data', (d) => (out += d))
  host.stderr!.on('data', (d) => (err += d))
  const exit = new Promise<number | null>((r) => host.on('exit', (code) => r(code)))
  // Generous: on a loaded two-core machine a Node process can take seconds to start; a host that
  // exited has said why on stderr.
  const deadline = Date.now() + 30_000
  while (!/^invite: /m.test(out) && host.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  const invite = /^invite: (\S+)/m.exec(out)?.[1]
  if (!invite) throw new Error(`peerlens host printed no invite: ${err}`)
  return { invite, exit, stderr: () => err }
}

/**
 * Builds test/pion (a pion/webrtc v3 joiner) against Debian's Go packages, offline: GOPATH mode, nothing
 * downloaded. Returns the binary, or why it cannot be built here (the tests then skip with that line).
 */
export async function buildPion(dir: string): Promise<{ bin: string } | { skip: string }> {
  const gocode = '/usr/share/gocode/src/github.com/pion/webrtc'
  const go = await new Promise<boolean>((r) => execFile('go', ['version'], (e) => r(!e)))
  if (!go) return { skip: 'go is not installed (apt-get install golang-go golang-github-pion-webrtc.v3-dev)' }
  if (!existsSync(gocode)) return { skip: `pion/webrtc v3 is not in ${gocode} (apt-get install golang-github-pion-webrtc.v3-dev)` }
  const bin = join(dir, 'pion-join')
  const env = { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '', GOPROXY: 'off', ...(process.env.HOME ? {} : { GOCACHE: join(dir, 'gocache') }) }
  return new Promise((resolve) => {
    execFile('go', ['build', '-o', bin, '.'], { cwd: join(REPO, 'test/pion'), env, timeout: 300_000 }, (err, _out, stderr) => {
      resolve(err ? { skip: `test/pion does not build: ${String(stderr).trim().split('\n').slice(0, 3).join(' ')}` } : { bin })
    })
  })
}
