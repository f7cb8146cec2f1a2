// The NAT lab: real hosts behind real Linux NATs in network namespaces, with coturn as the STUN/TURN
// server of a small "internet". Reusable: the NAT tests put one host behind each kind, the connection
// tests (issue 5) put two peers behind chosen kinds and run processes inside them.
//
//   internet namespace (pl-<id>-inet): bridge br0, 203.0.113.0/24 (+ 2001:db8:ffff::/64)
//     coturn on 203.0.113.2 and 203.0.113.3, ports 3478 and 3479 (RFC 5780: OTHER-ADDRESS .3:3479)
//   per NATed host i: router namespace pl-<id>-r<i>, WAN 203.0.113.(10+i), LAN 10.<i>.0.1/24,
//     host namespace pl-<id>-h<i>, eth0 10.<i>.0.2/24, default route via the router
//   per public host (kinds none, firewall): pl-<id>-h<i>, eth0 203.0.113.(100+i) on the bridge
//
// Nothing is connected to the real host's namespace: no route leaves the machine. Every interface is
// created directly inside its namespace, so deleting the namespaces removes everything.
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The NAT behaviours the lab builds. */
export type NatKind =
  /** A public address, no NAT, no firewall: open internet. */
  | 'none'
  /** A public address behind a stateful firewall that lets only replies in: symmetric UDP firewall. */
  | 'firewall'
  /** 1:1 NAT (SNAT + DNAT of everything): endpoint-independent mapping and filtering. */
  | 'full-cone'
  /** SNAT plus DNAT only from addresses this mapping sent to (nftables dynamic set): restricted cone. */
  | 'address-restricted'
  /**
   * The same with iptables only: the `recent` match remembers remote IPs per host, not per mapping,
   * as some home routers do. Discovery must not let one socket's traffic open the door for another.
   */
  | 'address-restricted-host'
  /** MASQUERADE: endpoint-independent mapping, address-and-port-dependent filtering. */
  | 'port-restricted'
  /** MASQUERADE --random-fully: a new port per destination. */
  | 'symmetric'
  /** MASQUERADE with outgoing UDP dropped (TCP still works). */
  | 'udp-blocked'

export const NAT_KINDS: readonly NatKind[] = ['none', 'firewall', 'full-cone', 'address-restricted', 'address-restricted-host', 'port-restricted', 'symmetric', 'udp-blocked']

/** What `peerlens nat` must say for each kind (mapping, filtering, RFC 3489 label). */
export const EXPECTED: Record<NatKind, { mapping: string; filtering: string; classic: string }> = {
  none: { mapping: 'none', filtering: 'endpoint-independent', classic: 'open-internet' },
  firewall: { mapping: 'none', filtering: 'address-and-port-dependent', classic: 'symmetric-udp-firewall' },
  'full-cone': { mapping: 'endpoint-independent', filtering: 'endpoint-independent', classic: 'full-cone' },
  'address-restricted': { mapping: 'endpoint-independent', filtering: 'address-dependent', classic: 'restricted-cone' },
  'address-restricted-host': { mapping: 'endpoint-independent', filtering: 'address-dependent', classic: 'restricted-cone' },
  'port-restricted': { mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', classic: 'port-restricted-cone' },
  symmetric: { mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', classic: 'symmetric' },
  'udp-blocked': { mapping: 'unknown', filtering: 'unknown', classic: 'udp-blocked' }
}

export interface LabHost {
  /** Name given by the caller (or the kind plus a number). */
  name: string
  kind: NatKind
  /** The host's namespace: run peers here. */
  ns: string
  /** The router's namespace, for NATed kinds. */
  routerNs?: string
  /** The host's own address (private behind a NAT). */
  address: string
  /** The address the internet sees: the router's WAN address, or the host's own. */
  publicAddress: string
  address6?: string
  publicAddress6?: string
}

export interface LabTurn {
  /** turn:203.0.113.2:3478 */
  url: string
  /** turn: URLs for UDP and TCP on the primary address. */
  urls: string[]
  username: string
  credential: string
  realm: string
}

export interface LabServer {
  /** stun:203.0.113.2:3478 */
  url: string
  primary: { address: string; port: number }
  /** OTHER-ADDRESS: the second IP with the alternate port. */
  other: { address: string; port: number }
  /** The same for IPv6, when the lab was built with ipv6. */
  url6?: string
  primary6?: { address: string; port: number }
}

export interface ExecResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  ms: number
}

export interface LabOptions {
  /** Add IPv6 (documentation prefix outside, ULA inside, ip6tables NAT). */
  ipv6?: boolean
  /** Hosts to build right away: kinds, or kinds with names. */
  hosts?: Array<NatKind | { kind: NatKind; name: string }>
}

export interface Lab {
  id: string
  /** The internet namespace, where coturn runs. */
  internetNs: string
  stun: LabServer
  turn: LabTurn
  hosts: LabHost[]
  ipv6: boolean
  /** Puts one more host behind a new NAT of this kind. */
  addHost(kind: NatKind, name?: string): Promise<LabHost>
  host(name: string): LabHost
  /** Runs a command to completion inside a namespace (bounded by timeoutMs, default 30 s). */
  exec(ns: string, cmd: string, args?: string[], options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<ExecResult>
  /** Starts a long-running process inside a namespace; teardown() kills it. */
  spawn(ns: string, cmd: string, args?: string[], options?: SpawnOptions): ChildProcess
  /**
   * A mesh tunnel between two hosts, named and addressed as Netbird's: `wt0` in each host namespace
   * with 100.64.0.<n>/10 (a veth pair: no WireGuard needed, the same routes and names). Returns the
   * two tunnel addresses. Their NATs stay in place: ICE may use the tunnel or the underlay.
   */
  addTunnel(a: LabHost, b: LabHost, name?: string): Promise<{ a: string; b: string }>
  /** Sets how long the host's NAT (or firewall) keeps idle UDP mappings, seconds (Linux default: 30, 120 once replied to). */
  setUdpTimeout(host: LabHost, seconds: number): Promise<void>
  /** coturn's log so far (for failure messages). */
  turnLog(): Promise<string>
  /** Kills every process in the lab's namespaces, then deletes them. Safe to call twice. */
  teardown(): Promise<void>
  /** Creates a namespace (loopback up) that teardown() deletes: for lab kinds built outside createLab. */
  addNamespace(name: string): Promise<void>
}

const PREFIX = 'pl-'
const INET4 = { net: '203.0.113', prefix: 24, stunA: '203.0.113.2', stunB: '203.0.113.3' }
const INET6 = { net: '2001:db8:ffff::', prefix: 64, stunA: '2001:db8:ffff::2', stunB: '2001:db8:ffff::3' }
const STUN_PORT = 3478
const ALT_PORT = 3479
const TURN_USER = 'peerlens'
const TURN_PASS = 'peerlens-lab-secret'
const TURN_REALM = 'peerlens.lab'

function run(cmd: string, args: string[], timeoutMs = 15_000): Promise<ExecResult> {
  const started = performance.now()
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: NodeJS.Signals }) | null
      resolve({
        code: e ? (typeof e.code === 'number' ? e.code : e.code === 'ENOENT' ? 127 : 1) : 0,
        signal: e?.signal ?? null,
        stdout: String(stdout),
        stderr: String(stderr) + (e && typeof e.code === 'string' ? `${e.code}` : ''),
        ms: performance.now() - started
      })
    })
  })
}

async function must(cmd: string, args: string[]): Promise<string> {
  const r = await run(cmd, args)
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`)
  return r.stdout
}

const ip = (...args: string[]) => must('ip', args)
const inNs = (ns: string, cmd: string, ...args: string[]) => must('ip', ['netns', 'exec', ns, cmd, ...args])

/** Why the lab cannot run here, or undefined when it can. Tests skip with this message. */
export async function labUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'the NAT lab needs Linux network namespaces'
  if (process.getuid?.() !== 0) return 'the NAT lab needs root (ip netns, iptables); CI runs it as root'
  const netns = await run('ip', ['netns', 'list'])
  if (netns.code !== 0) return `ip netns is unavailable: ${netns.stderr.trim() || 'install iproute2'}`
  const turn = await run('turnserver', ['--version'])
  if (turn.code === 127) return 'coturn is not installed (apt-get install coturn)'
  const ipt = await run('iptables', ['-V'])
  if (ipt.code !== 0) return 'iptables is not installed (apt-get install iptables)'
  // Can we actually make a namespace (containers without CAP_SYS_ADMIN cannot)?
  const probe = `${PREFIX}probe-${process.pid}`
  const made = await run('ip', ['netns', 'add', probe])
  if (made.code !== 0) return `cannot create network namespaces: ${made.stderr.trim()}`
  await run('ip', ['netns', 'del', probe])
  return undefined
}

/** Whether nft is there (the address-restricted kind needs it). */
export async function hasNft(): Promise<boolean> {
  return (await run('nft', ['--version'])).code === 0
}

/**
 * Deletes lab namespaces left behind by processes that no longer exist (a crashed test run).
 * Names carry the creating pid: pl-<pid>x<n>-...; labs of live processes are left alone.
 */
export async function cleanStaleLabs(): Promise<string[]> {
  const out = await run('ip', ['netns', 'list'])
  const removed: string[] = []
  for (const line of out.stdout.split('\n')) {
    const name = line.split(' ')[0] ?? ''
    const m = /^pl-(\d+)x\d+-/.exec(name)
    if (!m) continue
    const pid = Number(m[1])
    if (pid !== process.pid && isAlive(pid)) continue
    await killNamespaceProcesses(name)
    await run('ip', ['netns', 'del', name])
    removed.push(name)
  }
  return removed
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function killNamespaceProcesses(ns: string): Promise<void> {
  // Bounded: a few rounds, SIGKILL; processes cannot survive that, children that respawn run out of rounds.
  for (let round = 0; round < 5; round++) {
    const r = await run('ip', ['netns', 'pids', ns])
    const pids = r.stdout.split(/\s+/).filter(Boolean).map(Number).filter((p) => p > 1 && p !== process.pid)
    if (pids.length === 0) return
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone already
      }
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

let labCounter = 0

export async function createLab(options: LabOptions = {}): Promise<Lab> {
  await cleanStaleLabs()
  const id = `${PREFIX}${process.pid}x${labCounter++}`
  const inet = `${id}-inet`
  const namespaces: string[] = []
  const children = new Set<ChildProcess>()
  const hosts: LabHost[] = []
  const ipv6 = options.ipv6 === true
  const dir = await mkdtemp(join(tmpdir(), `${id}-`))
  let torn = false
  let hostCount = 0
  let tunnels = 0

  // Last line of defence if the test process dies without teardown: synchronous, best effort.
  const onExit = () => {
    for (const child of children) child.kill('SIGKILL')
    for (const ns of [...namespaces].reverse()) {
      try {
        const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split(/\s+/).filter(Boolean)
        for (const pid of pids) process.kill(Number(pid), 'SIGKILL')
      } catch {
        // best effort
      }
      try {
        execFileSync('ip', ['netns', 'del', ns])
      } catch {
        // best effort
      }
    }
  }
  process.once('exit', onExit)

  const addNs = async (name: string) => {
    await ip('netns', 'add', name)
    namespaces.push(name)
    await ip('-n', name, 'link', 'set', 'lo', 'up')
    // Lab hosts must not answer router solicitations or take autoconfigured addresses.
    await inNs(name, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.accept_ra=0', 'net.ipv6.conf.default.accept_ra=0')
  }

  const teardown = async () => {
    if (torn) return
    torn = true
    process.off('exit', onExit)
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    }
    await Promise.all(
      [...children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve()
            const t = setTimeout(() => {
              child.kill('SIGKILL')
              resolve()
            }, 1000)
            child.once('exit', () => {
              clearTimeout(t)
              resolve()
            })
          })
      )
    )
    for (const ns of [...namespaces].reverse()) await killNamespaceProcesses(ns)
    for (const ns of [...namespaces].reverse()) await run('ip', ['netns', 'del', ns])
    await rm(dir, { recursive: true, force: true })
  }

  const spawnIn = (ns: string, cmd: string, args: string[] = [], spawnOptions: SpawnOptions = {}): ChildProcess => {
    if (torn) throw new Error('lab already torn down')
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions })
    children.add(child)
    child.once('exit', () => children.delete(child))
    return child
  }

  const execIn = (ns: string, cmd: string, args: string[] = [], o: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ExecResult> => {
    const started = performance.now()
    return new Promise((resolve) => {
      const child = spawnIn(ns, cmd, args, { env: o.env ?? process.env, cwd: o.cwd })
      let stdout = ''
      let stderr = ''
      child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
      child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
      const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 30_000)
      child.once('error', (err) => {
        clearTimeout(timer)
        resolve({ code: 127, signal: null, stdout, stderr: stderr + err.message, ms: performance.now() - started })
      })
      child.once('close', (code, signal) => {
        clearTimeout(timer)
        resolve({ code, signal, stdout, stderr, ms: performance.now() - started })
      })
    })
  }

  try {
    // The internet: a bridge, coturn's two addresses.
    await addNs(inet)
    await ip('-n', inet, 'link', 'add', 'br0', 'type', 'bridge')
    // A fixed address: a bridge without one takes the lowest of its ports' (random) addresses, so a
    // host added later could change it, and every router that had cached the old one for 203.0.113.2
    // lost the lab's servers until its ARP entry went stale (about 30 s: the portmap lab's flake).
    await ip('-n', inet, 'link', 'set', 'br0', 'address', '02:00:cb:00:71:02')
    await ip('-n', inet, 'link', 'set', 'br0', 'up')
    await ip('-n', inet, 'addr', 'add', `${INET4.stunA}/${INET4.prefix}`, 'dev', 'br0')
    await ip('-n', inet, 'addr', 'add', `${INET4.stunB}/${INET4.prefix}`, 'dev', 'br0')
    if (ipv6) {
      await ip('-n', inet, 'addr', 'add', `${INET6.stunA}/${INET6.prefix}`, 'dev', 'br0', 'nodad')
      await ip('-n', inet, 'addr', 'add', `${INET6.stunB}/${INET6.prefix}`, 'dev', 'br0', 'nodad')
    }
    await startCoturn()

    const lab: Lab = {
      id,
      internetNs: inet,
      ipv6,
      hosts,
      stun: {
        url: `stun:${INET4.stunA}:${STUN_PORT}`,
        primary: { address: INET4.stunA, port: STUN_PORT },
        other: { address: INET4.stunB, port: ALT_PORT },
        ...(ipv6 ? { url6: `stun:[${INET6.stunA}]:${STUN_PORT}`, primary6: { address: INET6.stunA, port: STUN_PORT } } : {})
      },
      turn: {
        url: `turn:${INET4.stunA}:${STUN_PORT}`,
        urls: [`turn:${INET4.stunA}:${STUN_PORT}?transport=udp`, `turn:${INET4.stunA}:${STUN_PORT}?transport=tcp`],
        username: TURN_USER,
        credential: TURN_PASS,
        realm: TURN_REALM
      },
      addHost,
      addTunnel: async (a, b, name = 'wt0') => {
        const n = ++tunnels
        const [ta, tb] = [`100.64.${n}.1`, `100.64.${n}.2`]
        // Created in a's namespace under a temporary peer name, then moved to b's and renamed there.
        await ip('link', 'add', name, 'netns', a.ns, 'type', 'veth', 'peer', 'name', `${name}p${n}`, 'netns', b.ns)
        await inNs(b.ns, 'ip', 'link', 'set', `${name}p${n}`, 'name', name)
        for (const [ns, address] of [[a.ns, ta], [b.ns, tb]] as const) {
          await inNs(ns, 'ip', 'addr', 'add', `${address}/10`, 'dev', name)
          await inNs(ns, 'ip', 'link', 'set', name, 'up')
        }
        return { a: ta, b: tb }
      },
      host: (name) => {
        const h = hosts.find((x) => x.name === name)
        if (!h) throw new Error(`no lab host named ${name}`)
        return h
      },
      exec: execIn,
      spawn: spawnIn,
      setUdpTimeout: async (host, seconds) => {
        const s = String(Math.max(1, Math.round(seconds)))
        await inNs(host.routerNs ?? host.ns, 'sysctl', '-q', '-w', `net.netfilter.nf_conntrack_udp_timeout=${s}`, `net.netfilter.nf_conntrack_udp_timeout_stream=${s}`)
      },
      turnLog: () => readFile(join(dir, 'turn.log'), 'utf8').catch(() => ''),
      teardown,
      addNamespace: addNs
    }
    for (const h of options.hosts ?? []) {
      if (typeof h === 'string') await addHost(h)
      else await addHost(h.kind, h.name)
    }
    return lab
  } catch (err) {
    await teardown()
    throw err
  }

  async function startCoturn(): Promise<void> {
    const listen = [INET4.stunA, INET4.stunB, ...(ipv6 ? [INET6.stunA, INET6.stunB] : [])]
    const conf = [
      // Our own file: Debian's /etc/turnserver.conf sets no-rfc5780.
      ...listen.map((a) => `listening-ip=${a}`),
      `listening-port=${STUN_PORT}`,
      `alt-listening-port=${ALT_PORT}`,
      `relay-ip=${INET4.stunA}`,
      ...(ipv6 ? [`relay-ip=${INET6.stunA}`] : []),
      'min-port=49152',
      'max-port=49999',
      'lt-cred-mech',
      `user=${TURN_USER}:${TURN_PASS}`,
      `realm=${TURN_REALM}`,
      `userdb=${join(dir, 'turndb')}`,
      'no-cli',
      'no-tls',
      'no-dtls',
      'no-multicast-peers',
      // The lab's peers live on documentation and private ranges: allow relaying to them.
      'allow-loopback-peers',
      `log-file=${join(dir, 'turn.log')}`,
      'simple-log',
      `pidfile=${join(dir, 'turn.pid')}`,
      'verbose'
    ].join('\n')
    await writeFile(join(dir, 'turnserver.conf'), conf + '\n')
    const child = spawnIn(inet, 'turnserver', ['-c', join(dir, 'turnserver.conf')], { stdio: 'ignore' })
    // Ready when all four UDP listeners (two addresses x two ports) are bound. Bounded wait.
    const want = listen.length * 2
    const deadline = performance.now() + 10_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`turnserver exited with ${child.exitCode}: ${await readFile(join(dir, 'turn.log'), 'utf8').catch(() => '')}`)
      const ss = await run('ip', ['netns', 'exec', inet, 'ss', '-Hlun'])
      const bound = new Set(ss.stdout.split('\n').map((l) => l.trim().split(/\s+/)[3]).filter((a) => a && /:(3478|3479)$/.test(a)))
      const tcp = await run('ip', ['netns', 'exec', inet, 'ss', '-Hltn'])
      if (bound.size >= want && /:3478\b/.test(tcp.stdout)) return
      if (performance.now() > deadline) throw new Error(`coturn did not bind its ${want} UDP listeners within 10 s (have ${[...bound].join(', ')})`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async function addHost(kind: NatKind, name?: string): Promise<LabHost> {
    if (torn) throw new Error('lab already torn down')
    const i = ++hostCount
    if (i > 80) throw new Error('at most 80 hosts per lab')
    const hostNs = `${id}-h${i}`
    const hostName = name ?? `${kind}-${i}`
    if (hosts.some((h) => h.name === hostName)) throw new Error(`duplicate lab host name ${hostName}`)
    await addNs(hostNs)

    if (kind === 'none' || kind === 'firewall') {
      const address = `${INET4.net}.${100 + i}`
      const address6 = ipv6 ? `${INET6.net}${(0x100 + i).toString(16)}` : undefined
      // eth0 in the host, its peer on the bridge. werift skips interfaces named veth*: hence eth0.
      await ip('link', 'add', 'eth0', 'netns', hostNs, 'type', 'veth', 'peer', 'name', `h${i}`, 'netns', inet)
      await ip('-n', inet, 'link', 'set', `h${i}`, 'master', 'br0', 'up')
      await ip('-n', hostNs, 'addr', 'add', `${address}/${INET4.prefix}`, 'dev', 'eth0')
      if (address6) await ip('-n', hostNs, 'addr', 'add', `${address6}/${INET6.prefix}`, 'dev', 'eth0', 'nodad')
      await ip('-n', hostNs, 'link', 'set', 'eth0', 'up')
      if (kind === 'firewall') await firewall(hostNs, ipv6)
      const host: LabHost = { name: hostName, kind, ns: hostNs, address, publicAddress: address, ...(address6 ? { address6, publicAddress6: address6 } : {}) }
      hosts.push(host)
      return host
    }

    const routerNs = `${id}-r${i}`
    await addNs(routerNs)
    const wan = `${INET4.net}.${10 + i}`
    const lanNet = `10.${i}.0`
    const hostAddr = `${lanNet}.2`
    const wan6 = `${INET6.net}${(0x10 + i).toString(16)}`
    const host6 = `fd00:${i.toString(16)}::2`
    await ip('link', 'add', 'wan0', 'netns', routerNs, 'type', 'veth', 'peer', 'name', `r${i}`, 'netns', inet)
    await ip('-n', inet, 'link', 'set', `r${i}`, 'master', 'br0', 'up')
    await ip('-n', routerNs, 'addr', 'add', `${wan}/${INET4.prefix}`, 'dev', 'wan0')
    await ip('-n', routerNs, 'link', 'set', 'wan0', 'up')
    await ip('link', 'add', 'eth0', 'netns', hostNs, 'type', 'veth', 'peer', 'name', 'lan0', 'netns', routerNs)
    await ip('-n', routerNs, 'addr', 'add', `${lanNet}.1/24`, 'dev', 'lan0')
    await ip('-n', routerNs, 'link', 'set', 'lan0', 'up')
    await ip('-n', hostNs, 'addr', 'add', `${hostAddr}/24`, 'dev', 'eth0')
    await ip('-n', hostNs, 'link', 'set', 'eth0', 'up')
    // The only default route in the lab points at the router, which itself has none: no way out.
    await ip('-n', hostNs, 'route', 'add', 'default', 'via', `${lanNet}.1`)
    await inNs(routerNs, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1')
    if (ipv6) {
      await ip('-n', routerNs, 'addr', 'add', `${wan6}/${INET6.prefix}`, 'dev', 'wan0', 'nodad')
      await ip('-n', routerNs, 'addr', 'add', `fd00:${i.toString(16)}::1/64`, 'dev', 'lan0', 'nodad')
      await ip('-n', hostNs, 'addr', 'add', `${host6}/64`, 'dev', 'eth0', 'nodad')
      await ip('-n', hostNs, '-6', 'route', 'add', 'default', 'via', `fd00:${i.toString(16)}::1`)
      await inNs(routerNs, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.forwarding=1')
    }
    await natRules(kind, routerNs, { wan, lan: `${lanNet}.0/24`, host: hostAddr, wan6: ipv6 ? wan6 : undefined, host6: ipv6 ? host6 : undefined, lan6: `fd00:${i.toString(16)}::/64` })
    const host: LabHost = {
      name: hostName,
      kind,
      ns: hostNs,
      routerNs,
      address: hostAddr,
      publicAddress: wan,
      ...(ipv6 ? { address6: host6, publicAddress6: wan6 } : {})
    }
    hosts.push(host)
    return host
  }
}

async function firewall(ns: string, ipv6: boolean): Promise<void> {
  // Stateful: replies to what we sent get in, nothing else over UDP (TCP is left alone).
  for (const tool of ipv6 ? ['iptables', 'ip6tables'] : ['iptables']) {
    await inNs(ns, tool, '-A', 'INPUT', '-i', 'lo', '-j', 'ACCEPT')
    await inNs(ns, tool, '-A', 'INPUT', '-p', 'udp', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT')
    await inNs(ns, tool, '-A', 'INPUT', '-p', 'udp', '-j', 'DROP')
  }
}

interface NatAddrs {
  wan: string
  lan: string
  host: string
  wan6?: string
  host6?: string
  lan6: string
}

async function natRules(kind: NatKind, ns: string, a: NatAddrs): Promise<void> {
  const v4 = (...args: string[]) => inNs(ns, 'iptables', ...args)
  const v6 = (...args: string[]) => (a.wan6 ? inNs(ns, 'ip6tables', ...args) : Promise.resolve(''))
  // Like real home routers, drop unsolicited traffic from the WAN to the router itself. Accepted, an
  // early connectivity check from the other peer reaches the router's own stack and its conntrack
  // entry is confirmed; the host's own outbound mapping toward that peer then clashes with it (Linux
  // picks another port or drops the packet), and hole punching between two such NATs never works.
  await v4('-A', 'INPUT', '-i', 'wan0', '-m', 'conntrack', '--ctstate', 'NEW,INVALID', '-j', 'DROP')
  await v6('-A', 'INPUT', '-i', 'wan0', '-p', 'udp', '-m', 'conntrack', '--ctstate', 'NEW,INVALID', '-j', 'DROP')
  switch (kind) {
    case 'full-cone':
      // 1:1 NAT: the host owns the WAN address; every port maps to itself and anyone may send in.
      await v4('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-s', a.host, '-j', 'SNAT', '--to-source', a.wan)
      await v4('-t', 'nat', '-A', 'PREROUTING', '-i', 'wan0', '-d', a.wan, '-j', 'DNAT', '--to-destination', a.host)
      if (a.wan6 && a.host6) {
        await v6('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-s', a.host6, '-j', 'SNAT', '--to-source', a.wan6)
        await v6('-t', 'nat', '-A', 'PREROUTING', '-i', 'wan0', '-d', a.wan6, '-j', 'DNAT', '--to-destination', a.host6)
      }
      return
    case 'address-restricted':
      await addressRestricted(ns, a)
      return
    case 'address-restricted-host':
      // Outbound UDP records its destination IP; inbound UDP from a recorded IP, any port, is let in.
      await v4('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-s', a.host, '-j', 'SNAT', '--to-source', a.wan)
      await v4('-A', 'FORWARD', '-i', 'lan0', '-o', 'wan0', '-p', 'udp', '-m', 'recent', '--name', 'plpeers', '--rdest', '--set')
      await v4('-t', 'nat', '-A', 'PREROUTING', '-i', 'wan0', '-d', a.wan, '-p', 'udp', '-m', 'recent', '--name', 'plpeers', '--rcheck', '--rsource', '-j', 'DNAT', '--to-destination', a.host)
      if (a.wan6 && a.host6) {
        await v6('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-s', a.host6, '-j', 'SNAT', '--to-source', a.wan6)
        await v6('-A', 'FORWARD', '-i', 'lan0', '-o', 'wan0', '-p', 'udp', '-m', 'recent', '--name', 'plpeers6', '--rdest', '--set')
        await v6('-t', 'nat', '-A', 'PREROUTING', '-i', 'wan0', '-d', a.wan6, '-p', 'udp', '-m', 'recent', '--name', 'plpeers6', '--rcheck', '--rsource', '-j', 'DNAT', '--to-destination', a.host6)
      }
      return
    case 'port-restricted':
      await v4('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE')
      await v6('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE')
      return
    case 'symmetric':
      await v4('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE', '--random-fully')
      await v6('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE', '--random-fully')
      return
    case 'udp-blocked':
      await v4('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE')
      await v4('-A', 'FORWARD', '-i', 'lan0', '-p', 'udp', '-j', 'DROP')
      await v6('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE')
      await v6('-A', 'FORWARD', '-i', 'lan0', '-p', 'udp', '-j', 'DROP')
      return
    default:
      throw new Error(`no NAT rules for kind ${kind}`)
  }
}

/**
 * Address-restricted cone: port-preserving SNAT (endpoint-independent mapping), and an inbound packet
 * is let in (DNAT to the host) only when that very mapping has sent to the packet's source IP before,
 * whatever the source port. The state is per (remote IP, port) in an nftables dynamic set, so one
 * mapping talking to an address does not open the door for another mapping (iptables' `recent` match
 * is per IP only and would make a fresh socket look full cone).
 */
async function addressRestricted(ns: string, a: NatAddrs): Promise<void> {
  const families: Array<{ fam: 'ip' | 'ip6'; wan: string; host: string; lan: string; addrType: string; daddr: string; saddr: string }> = [
    { fam: 'ip', wan: a.wan, host: a.host, lan: a.lan, addrType: 'ipv4_addr', daddr: 'ip daddr', saddr: 'ip saddr' }
  ]
  if (a.wan6 && a.host6) families.push({ fam: 'ip6', wan: a.wan6, host: a.host6, lan: a.lan6, addrType: 'ipv6_addr', daddr: 'ip6 daddr', saddr: 'ip6 saddr' })
  for (const f of families) {
    const script = `
table ${f.fam} plnat {
  set seen {
    type ${f.addrType} . inet_service
    flags dynamic,timeout
    timeout 5m
  }
  chain remember {
    type filter hook forward priority 0; policy accept;
    iifname "lan0" oifname "wan0" meta l4proto udp update @seen { ${f.daddr} . udp sport }
  }
  chain inbound {
    type nat hook prerouting priority -100; policy accept;
    iifname "wan0" ${f.daddr} ${f.wan} ${f.saddr} . udp dport @seen dnat to ${f.host}
  }
  chain outbound {
    type nat hook postrouting priority 100; policy accept;
    oifname "wan0" ${f.saddr} ${f.lan} snat to ${f.wan}
  }
}
`
    const r = await new Promise<ExecResult>((resolve) => {
      const started = performance.now()
      const child = spawn('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { stdio: ['pipe', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
      child.once('error', (err) => resolve({ code: 127, signal: null, stdout: '', stderr: err.message, ms: 0 }))
      child.once('close', (code, signal) => resolve({ code, signal, stdout: '', stderr, ms: performance.now() - started }))
      child.stdin.end(script)
    })
    if (r.code !== 0) throw new Error(`nft failed for the address-restricted NAT: ${r.stderr.trim()}`)
  }
}

// ---- miniupnpd on a lab router (issue 13: port mapping). Kept apart from the lab's core. ----

export interface Miniupnpd {
  /** miniupnpd's own log (stderr with -d) so far. */
  log(): string
  /** The lab router's LAN address, the gateway its host asks. */
  gateway: string
  stop(): Promise<void>
}

export interface MiniupnpdOptions {
  upnp?: boolean
  natPmp?: boolean
}

/** Whether miniupnpd (Debian's, nftables backend) is installed. */
export async function hasMiniupnpd(): Promise<boolean> {
  return (await run('miniupnpd', ['--version'])).code !== 127
}

/**
 * Runs miniupnpd (UPnP IGD + NAT-PMP/PCP) on the router in front of `host`. The lab's WAN addresses are
 * in 203.0.113.0/24, which miniupnpd counts as reserved: it refuses to map unless STUN (the lab's
 * coturn) says the router's own address is reachable. So the router lets the STUN server's answers in,
 * and its own packets are never masqueraded (a symmetric NAT would otherwise rewrite its STUN test).
 */
export async function startMiniupnpd(lab: Lab, host: LabHost, options: MiniupnpdOptions = {}): Promise<Miniupnpd> {
  if (!host.routerNs) throw new Error(`lab host ${host.name} has no router`)
  const ns = host.routerNs
  const gateway = host.address.replace(/\.\d+$/, '.1')
  const dir = await mkdtemp(join(tmpdir(), `${lab.id}-upnp-`))
  await inNs(ns, 'iptables', '-I', 'INPUT', '1', '-i', 'wan0', '-p', 'udp', '-s', `${INET4.net}.0/${INET4.prefix}`, '-m', 'multiport', '--sports', `${STUN_PORT},${ALT_PORT}`, '-j', 'ACCEPT')
  await inNs(ns, 'iptables', '-t', 'nat', '-I', 'POSTROUTING', '1', '-o', 'wan0', '-s', host.publicAddress, '-j', 'RETURN')
  // miniupnpd's chains, hooked in before the lab's own NAT rules (priority -110 before iptables' -100).
  const script = `
table inet filter {
  chain miniupnpd {
  }
  chain prerouting_miniupnpd {
  }
  chain postrouting_miniupnpd {
  }
  chain forward {
    type filter hook forward priority 0; policy accept;
    jump miniupnpd
  }
  chain prerouting {
    type nat hook prerouting priority -110; policy accept;
    jump prerouting_miniupnpd
  }
  chain postrouting {
    type nat hook postrouting priority 90; policy accept;
    jump postrouting_miniupnpd
  }
}
`
  await writeFile(join(dir, 'init.nft'), script)
  await inNs(ns, 'nft', '-f', join(dir, 'init.nft'))
  const conf = [
    'ext_ifname=wan0',
    'listening_ip=lan0',
    'http_port=5000',
    `enable_natpmp=${options.natPmp === false ? 'no' : 'yes'}`,
    `enable_upnp=${options.upnp === false ? 'no' : 'yes'}`,
    'secure_mode=yes',
    'ext_perform_stun=yes',
    `ext_stun_host=${INET4.stunA}`,
    `ext_stun_port=${STUN_PORT}`,
    'uuid=3d3cec3a-8cf0-11e0-98ee-001a6bd2d07b',
    'allow 1024-65535 10.0.0.0/8 1024-65535',
    'deny 0-65535 0.0.0.0/0 0-65535'
  ].join('\n')
  await writeFile(join(dir, 'miniupnpd.conf'), conf + '\n')
  const child = lab.spawn(ns, 'miniupnpd', ['-d', '-f', join(dir, 'miniupnpd.conf'), '-P', join(dir, 'miniupnpd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (log += d))
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (log += d))
  // Ready when it listens for NAT-PMP/PCP and HTTP (bounded).
  const deadline = performance.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`miniupnpd exited with ${child.exitCode}: ${log}`)
    const ss = await run('ip', ['netns', 'exec', ns, 'ss', '-Hlntu'])
    if (/:5351\b/.test(ss.stdout) && /:5000\b/.test(ss.stdout) && /STUN|Port forwarding/i.test(log)) break
    if (performance.now() > deadline) throw new Error(`miniupnpd not ready within 10 s: ${log}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    gateway,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await rm(dir, { recursive: true, force: true })
    }
  }
}

// ---- A home NAT behind a carrier-grade NAT (issue 13: double NAT). Kept apart from the lab's core. ----

export interface CarrierNatHost extends LabHost {
  /** The carrier NAT's namespace (its inside is 100.64.<i>.1/24). */
  carrierNs: string
  /** The carrier's inside address: the hop that names the CGNAT. */
  carrierInside: string
  /** Deletes the namespace this added (the lab's teardown deletes the rest). */
  remove(): Promise<void>
}

/**
 * host (192.168.<i>.2) -> home router (MASQUERADE, WAN 100.64.<i>.2) -> carrier NAT (MASQUERADE, inside
 * 100.64.<i>.1, WAN 203.0.113.(10+i)) -> the lab's internet. Built from a port-restricted lab host: its
 * router becomes the carrier, its host namespace the home router, and one new namespace the home host.
 */
export async function addCarrierNatHost(lab: Lab, name: string): Promise<CarrierNatHost> {
  const carrier = await lab.addHost('port-restricted', `${name}-carrier`)
  const i = Number(/-h(\d+)$/.exec(carrier.ns)![1])
  const carrierNs = carrier.routerNs!
  const homeNs = carrier.ns
  const inside = `100.64.${i}.1`
  const homeWan = `100.64.${i}.2`
  const hostNs = `${lab.id}-cg${i}`
  const hostAddr = `192.168.${i}.2`
  // Renumber the carrier's inside (10.i.0.0/24 -> 100.64.i.0/24).
  await ip('-n', carrierNs, 'addr', 'flush', 'dev', 'lan0')
  await ip('-n', carrierNs, 'addr', 'add', `${inside}/24`, 'dev', 'lan0')
  await ip('-n', homeNs, 'addr', 'flush', 'dev', 'eth0')
  await ip('-n', homeNs, 'addr', 'add', `${homeWan}/24`, 'dev', 'eth0')
  await ip('-n', homeNs, 'route', 'replace', 'default', 'via', inside)
  // The home router: forwards and masquerades its LAN onto its 100.64 WAN.
  await ip('netns', 'add', hostNs)
  await ip('-n', hostNs, 'link', 'set', 'lo', 'up')
  await ip('link', 'add', 'eth0', 'netns', hostNs, 'type', 'veth', 'peer', 'name', 'lan0', 'netns', homeNs)
  await ip('-n', homeNs, 'addr', 'add', `192.168.${i}.1/24`, 'dev', 'lan0')
  await ip('-n', homeNs, 'link', 'set', 'lan0', 'up')
  await ip('-n', hostNs, 'addr', 'add', `${hostAddr}/24`, 'dev', 'eth0')
  await ip('-n', hostNs, 'link', 'set', 'eth0', 'up')
  await ip('-n', hostNs, 'route', 'add', 'default', 'via', `192.168.${i}.1`)
  await inNs(homeNs, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1')
  await inNs(homeNs, 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'eth0', '-j', 'MASQUERADE')
  return {
    name,
    kind: 'port-restricted',
    ns: hostNs,
    routerNs: homeNs,
    address: hostAddr,
    publicAddress: carrier.publicAddress,
    carrierNs,
    carrierInside: inside,
    remove: async () => {
      await killNamespaceProcesses(hostNs)
      await run('ip', ['netns', 'del', hostNs])
    }
  }
}

let sharedRouters = 0

/**
 * Two hosts behind ONE router, each on its own LAN segment that cannot reach the other (guest Wi-Fi,
 * office VLANs): router pl-<id>-s<n> with WAN 203.0.113.(200+n), hosts on 10.(100+2n).0.2/24 and
 * 10.(101+2n).0.2/24. Outbound NAT keeps the source port (port-restricted cone). With `hairpin`, a
 * packet from either segment to the router's own public address is sent to whichever host owns that
 * port (the mapping it made by sending out) and its source rewritten to the public address, as home
 * routers with "NAT loopback" do; without it, such a packet hits the router itself and goes nowhere.
 */
export async function addSharedRouter(lab: Lab, o: { hairpin: boolean; names: [string, string] }): Promise<[LabHost, LabHost]> {
  const n = ++sharedRouters
  if (n > 50) throw new Error('at most 50 shared routers per process')
  const routerNs = `${lab.id}-s${n}`
  await lab.addNamespace(routerNs)
  const wan = `${INET4.net}.${200 + n}`
  await ip('link', 'add', 'wan0', 'netns', routerNs, 'type', 'veth', 'peer', 'name', `s${n}`, 'netns', lab.internetNs)
  await ip('-n', lab.internetNs, 'link', 'set', `s${n}`, 'master', 'br0', 'up')
  await ip('-n', routerNs, 'addr', 'add', `${wan}/${INET4.prefix}`, 'dev', 'wan0')
  await ip('-n', routerNs, 'link', 'set', 'wan0', 'up')
  await inNs(routerNs, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1')
  const hosts: LabHost[] = []
  for (const [k, name] of o.names.entries()) {
    const hostNs = `${lab.id}-s${n}h${k}`
    await lab.addNamespace(hostNs)
    const net = `10.${100 + 2 * n + k}.0`
    await ip('link', 'add', 'eth0', 'netns', hostNs, 'type', 'veth', 'peer', 'name', `lan${k}`, 'netns', routerNs)
    await ip('-n', routerNs, 'addr', 'add', `${net}.1/24`, 'dev', `lan${k}`)
    await ip('-n', routerNs, 'link', 'set', `lan${k}`, 'up')
    await ip('-n', hostNs, 'addr', 'add', `${net}.2/24`, 'dev', 'eth0')
    await ip('-n', hostNs, 'link', 'set', 'eth0', 'up')
    await ip('-n', hostNs, 'route', 'add', 'default', 'via', `${net}.1`)
    const host: LabHost = { name, kind: 'port-restricted', ns: hostNs, routerNs, address: `${net}.2`, publicAddress: wan }
    lab.hosts.push(host)
    hosts.push(host)
  }
  const loop = o.hairpin
    ? `
  map owners {
    type inet_service : ipv4_addr
    flags dynamic,timeout
    timeout 5m
  }
  chain remember {
    type filter hook forward priority -10; policy accept;
    iifname "lan*" oifname "wan0" meta l4proto udp update @owners { udp sport : ip saddr }
  }
  chain loopback {
    type nat hook prerouting priority -100; policy accept;
    iifname "lan*" ip daddr ${wan} meta l4proto udp dnat to udp dport map @owners
  }`
    : ''
  const script = `
table ip plshared {${loop}
  chain input {
    type filter hook input priority 0; policy accept;
    iifname "wan0" ct state new,invalid drop
  }
  chain segments {
    type filter hook forward priority 0; policy accept;
    iifname "lan*" oifname "lan*" ct status dnat accept
    iifname "lan*" oifname "lan*" drop
  }
  chain outbound {
    type nat hook postrouting priority 100; policy accept;
    oifname "wan0" ip saddr 10.0.0.0/8 snat to ${wan}
    iifname "lan*" oifname "lan*" ct status dnat snat to ${wan}
  }
}
`
  const r = await new Promise<ExecResult>((resolve) => {
    const child = spawn('ip', ['netns', 'exec', routerNs, 'nft', '-f', '-'], { stdio: ['pipe', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.once('error', (err) => resolve({ code: 127, signal: null, stdout: '', stderr: err.message, ms: 0 }))
    child.once('close', (code, signal) => resolve({ code, signal, stdout: '', stderr, ms: 0 }))
    child.stdin.end(script)
  })
  if (r.code !== 0) throw new Error(`nft failed for the shared router: ${r.stderr.trim()}`)
  return [hosts[0]!, hosts[1]!]
}

/**
 * Random UDP loss of `percent` on a host's way out and in (0 removes it), TCP left alone: on the
 * router's forward chain for NATed hosts; for public hosts on their port of the internet's bridge
 * (nftables, bridge family), where the sender does not see it (a rule in the host's own OUTPUT chain
 * would fail its send with EPERM, which is a local firewall, not loss).
 */
export async function setUdpLoss(lab: Lab, host: LabHost, percent: number): Promise<void> {
  if (!host.routerNs) {
    const port = `h${/-h(\d+)$/.exec(host.ns)![1]}`
    const table = `plloss_${port}`
    await run('ip', ['netns', 'exec', lab.internetNs, 'nft', 'delete', 'table', 'bridge', table])
    if (percent <= 0) return
    const p = Math.round(percent * 10)
    await inNs(lab.internetNs, 'nft', `add table bridge ${table}; add chain bridge ${table} lossy { type filter hook forward priority 0; policy accept; }; add rule bridge ${table} lossy iifname "${port}" meta l4proto udp numgen random mod 1000 < ${p} drop; add rule bridge ${table} lossy oifname "${port}" meta l4proto udp numgen random mod 1000 < ${p} drop`)
    return
  }
  const ns = host.routerNs
  // Remove the rule of an earlier call: `iptables -S` prints it as it was added.
  const listed = await inNs(ns, 'iptables', '-S', 'FORWARD')
  for (const line of listed.split('\n').filter((l) => l.includes('pl-loss'))) await inNs(ns, 'iptables', ...line.replace(/^-A /, '-D ').split(' '))
  if (percent > 0) await inNs(ns, 'iptables', '-I', 'FORWARD', '1', '-p', 'udp', '-m', 'statistic', '--mode', 'random', '--probability', String(percent / 100), '-m', 'comment', '--comment', 'pl-loss', '-j', 'DROP')
}

/** Makes the address-restricted-host router forget the addresses its hosts sent to (its `recent` list outlives a run). */
export async function forgetRecentPeers(host: LabHost): Promise<void> {
  if (host.kind !== 'address-restricted-host' || !host.routerNs) return
  await inNs(host.routerNs, 'sh', '-c', 'for f in /proc/net/xt_recent/plpeers /proc/net/xt_recent/plpeers6; do [ -e $f ] && echo / > $f; done; true')
}

export interface LabTurnTls {
  /** turns:203.0.113.5:443 */
  url: string
  /** The lab CA's certificate (PEM file): give it to peerlens as NODE_EXTRA_CA_CERTS. */
  caFile: string
  address: string
}

/**
 * A second coturn that offers TURN over TLS on port 443 (a corporate network's only way out), on its
 * own address 203.0.113.5 with a certificate for that address signed by a lab CA made with openssl.
 * Also puts 203.0.113.4 on the internet's bridge, for a signaling server on port 443.
 */
export async function startTurnTls(lab: Lab): Promise<LabTurnTls> {
  const address = `${INET4.net}.5`
  const dir = await mkdtemp(join(tmpdir(), `${lab.id}-tls-`))
  const f = (name: string) => join(dir, name)
  await must('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=peerlens lab CA', '-keyout', f('ca.key'), '-out', f('ca.pem')])
  await must('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${address}`, '-keyout', f('turn.key'), '-out', f('turn.csr')])
  await writeFile(f('ext.cnf'), `subjectAltName=IP:${address}\n`)
  await must('openssl', ['x509', '-req', '-in', f('turn.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('ext.cnf'), '-out', f('turn.pem')])
  await ip('-n', lab.internetNs, 'addr', 'add', `${address}/${INET4.prefix}`, 'dev', 'br0')
  await ip('-n', lab.internetNs, 'addr', 'add', `${INET4.net}.4/${INET4.prefix}`, 'dev', 'br0')
  const conf = [
    `listening-ip=${address}`,
    'listening-port=3478',
    'tls-listening-port=443',
    `cert=${f('turn.pem')}`,
    `pkey=${f('turn.key')}`,
    `relay-ip=${address}`,
    'min-port=50000',
    'max-port=50999',
    'lt-cred-mech',
    `user=${TURN_USER}:${TURN_PASS}`,
    `realm=${TURN_REALM}`,
    `userdb=${f('turndb')}`,
    'no-cli',
    'no-dtls',
    'no-multicast-peers',
    'allow-loopback-peers',
    `log-file=${f('turn.log')}`,
    'simple-log',
    `pidfile=${f('turn.pid')}`
  ].join('\n')
  await writeFile(f('turnserver.conf'), conf + '\n')
  const child = lab.spawn(lab.internetNs, 'turnserver', ['-c', f('turnserver.conf')], { stdio: 'ignore' })
  const deadline = performance.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the TLS turnserver exited with ${child.exitCode}: ${await readFile(f('turn.log'), 'utf8').catch(() => '')}`)
    const tcp = await run('ip', ['netns', 'exec', lab.internetNs, 'ss', '-Hltn'])
    if (tcp.stdout.includes(`${address}:443`)) break
    if (performance.now() > deadline) throw new Error('the TLS turnserver did not listen on 443 within 10 s')
    await new Promise((r) => setTimeout(r, 50))
  }
  return { url: `turns:${address}:443`, caFile: f('ca.pem'), address }
}

/** The host's router lets out only TCP to port 443 (and what answers it): a corporate network. */
export async function allowOnlyTcp443(host: LabHost): Promise<void> {
  if (!host.routerNs) throw new Error('allowOnlyTcp443 needs a NATed host')
  await inNs(host.routerNs, 'iptables', '-A', 'FORWARD', '-i', 'lan0', '-p', 'tcp', '--dport', '443', '-j', 'ACCEPT')
  await inNs(host.routerNs, 'iptables', '-A', 'FORWARD', '-i', 'lan0', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT')
  await inNs(host.routerNs, 'iptables', '-A', 'FORWARD', '-i', 'lan0', '-j', 'DROP')
}
