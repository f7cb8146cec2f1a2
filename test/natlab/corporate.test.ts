// A corporate network that only lets TCP to port 443 out: the joiner's router drops everything else.
// coturn offers TURN over TLS on 443 with a certificate from a lab CA that peerlens is told to trust
// (NODE_EXTRA_CA_CERTS). `peerlens host` and `peerlens join` as whole processes; the signaling
// server listens on 443 too. The session relays over TLS, the joiner's NAT result says "UDP blocked"
// (not "unknown"), the prediction expects the relay, and the remedy says what to open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { allowOnlyTcp443, createLab, labUnavailable, startTurnTls, type Lab, type LabHost, type LabTurnTls } from './lab'
import { BIN } from '../helpers/cli'
import { tempDir } from '../helpers/tempDir'
import { remedies } from '../../src/shared/diagnosis/findings'
import type { Report, SideReport } from '../../src/shared/report'

const unavailable = await labUnavailable()
const SIGNAL = 'http://203.0.113.4:443/'
const dir = tempDir('corporate')

describe.skipIf(!!unavailable)(`TCP-443-only egress, TURN over TLS${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let lab: Lab
  let tls: LabTurnTls
  let host: LabHost
  let office: LabHost

  beforeAll(async () => {
    lab = await createLab()
    tls = await startTurnTls(lab)
    host = await lab.addHost('port-restricted', 'home')
    office = await lab.addHost('port-restricted', 'office')
    await allowOnlyTcp443(office)
    lab.spawn(lab.internetNs, process.execPath, [BIN, 'signal', '--listen', '203.0.113.4:443', '--quiet'])
    const deadline = Date.now() + 10_000
    for (;;) {
      const r = await lab.exec(lab.internetNs, process.execPath, ['-e', `fetch('${SIGNAL}v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`])
      if (r.code === 0) break
      if (Date.now() > deadline) throw new Error('peerlens signal did not start on 443')
      await new Promise((r) => setTimeout(r, 100))
    }
  }, 120_000)
  afterAll(() => lab?.teardown(), 60_000)

  it('relays over TLS on 443; the office side is "UDP blocked"; the remedy says what to open', { timeout: 120_000 }, async () => {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: tls.caFile }
    const ice = ['--stun', lab.stun.url, '--turn', tls.url, '--turn-user', lab.turn.username, '--turn-pass', lab.turn.credential]
    const file = join(dir, 'host.json')
    const hostRun = lab.spawn(host.ns, process.execPath, [BIN, 'host', '--signal', SIGNAL, '--timeout', '60', '--report', file, ...ice], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    hostRun.stdout!.on('data', (d) => (out += d))
    hostRun.stderr!.on('data', (d) => (err += d))
    const exit = new Promise<number | null>((r) => hostRun.on('exit', (code) => r(code)))
    const deadline = Date.now() + 15_000
    while (!/^invite: /m.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const invite = /^invite: (\S+)/m.exec(out)?.[1]
    expect(invite, err).toBeTruthy()
    const joined = await lab.exec(office.ns, process.execPath, [BIN, 'join', invite!, '--timeout', '60', ...ice], { env, timeoutMs: 90_000 })
    const code = await exit
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report
    const context = `${report.connection.reason}\nprediction: ${report.prediction?.reason}\n--- host ---\n${err.slice(-3000)}\n--- join ---\n${joined.stderr.slice(-3000)}`
    expect(code, context).toBe(0)
    expect(joined.code, context).toBe(0)
    expect(report.connection.verdict, context).toBe('relayed')
    expect(report.connection.reason, context).toMatch(/TURN reached over TLS/)
    const joiner = report.sides[1] as SideReport
    // The joiner's relay candidate came from the only TURN server it has (over TLS on 443: nothing else
    // gets out), and the path used a relay on that server.
    expect(joiner.candidates.local.filter((c) => c.type === 'relay').map((c) => c.address), context).toContain(tls.address)
    expect(joiner.selectedPair?.local, context).toMatchObject({ type: 'relay', address: tls.address })
    // The office's NAT result: UDP blocked (TCP gets out to the TURN server's 443), not "unknown".
    expect(joiner.nat, context).toMatchObject({ classic: 'udp-blocked', serverReach: 'tcp-only', reason: expect.stringMatching(/UDP blocked: .*while TCP gets out \(to 203\.0\.113\.5:443/) })
    expect(report.prediction, context).toMatchObject({ verdict: 'relayed', reason: expect.stringMatching(/UDP is blocked on the joiner, so only a TURN relay over TCP or TLS can connect/) })
    // The joiner's server probe reached the TLS TURN server (the lab CA is trusted).
    expect(joiner.servers?.find((s) => s.url === tls.url), context).toMatchObject({ reachable: true })
    expect(remedies(report)[0], context).toMatchObject({ id: 'udp-blocked', action: expect.stringMatching(/TURN server over TLS on port 443/) })
    // The joiner's result line names what to do next.
    expect(joined.stdout).toMatch(/^result: relayed/m)
    expect(joined.stdout).toMatch(/^what to do next:\n {2}1\. allow outbound UDP/m)
  })
})
