import { useEffect, useState } from 'react'
import type { InterfaceAddressInfo } from '../../../shared/net'
import { fieldErrors, type SettingsView } from '../../../shared/ipc'
import { MAX_PORT, MAX_PORT_TESTS, MAX_THROUGHPUT_MB } from '../../../shared/limits'
import { useApp } from '../store/context'
import { bridge } from '../bridge'

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)

function FieldError({ text, id }: { text: string | undefined; id: string }): React.JSX.Element | null {
  return text ? (
    <p className="error-text small-text" role="alert" data-testid={`error-${id}`}>
      {text}
    </p>
  ) : null
}

function Form({ settings }: { settings: SettingsView }): React.JSX.Element {
  const save = useApp((s) => s.saveSettings)
  const [stun, setStun] = useState(settings.stun.join('\n'))
  const [turn, setTurn] = useState(settings.turn.join('\n'))
  const [turnUser, setTurnUser] = useState(settings.turnUser)
  const [password, setPassword] = useState('')
  const [natServers, setNatServers] = useState(settings.natServers.join('\n'))
  const [natOnSession, setNatOnSession] = useState(settings.natOnSession)
  const [includeVpn, setIncludeVpn] = useState(settings.includeVpn)
  const [portMapping, setPortMapping] = useState(settings.portMapping)
  const [offline, setOffline] = useState(settings.offline)
  const [throughput, setThroughput] = useState(settings.throughput)
  const [capText, setCapText] = useState(settings.throughputMb === null ? '' : String(settings.throughputMb))
  const cap = capText.trim() === '' ? null : Number(capText)
  const capOk = cap === null || (Number.isFinite(cap) && cap > 0 && cap <= MAX_THROUGHPUT_MB)
  const [excluded, setExcluded] = useState<string[]>(settings.excludedInterfaces)
  const [ports, setPorts] = useState(settings.portTests.join(', '))
  const portList = ports
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
  const portsOk = portList.every((p) => Number.isInteger(p) && p >= 1 && p <= MAX_PORT) && portList.length <= MAX_PORT_TESTS
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors>>({})
  const [interfaces, setInterfaces] = useState<InterfaceAddressInfo[]>([])
  useEffect(() => {
    bridge()
      .call('net.interfaces', {})
      .then(setInterfaces, () => setInterfaces([]))
  }, [])
  const names = [...new Set([...interfaces.filter((i) => !i.internal).map((i) => i.name), ...excluded])]

  return (
    <form
      className="card settings"
      onSubmit={(e) => {
        e.preventDefault()
        if (!portsOk || !capOk) return
        void save({ stun: lines(stun), turn: lines(turn), turnUser, natServers: lines(natServers), natOnSession, includeVpn, offline, portMapping, throughput, throughputMb: cap, excludedInterfaces: excluded, portTests: portList, ...(password ? { turnPassword: password } : {}) }).then((error) => {
          setErrors(error ? fieldErrors(error) : {})
          if (!error) setPassword('')
        })
      }}
    >
      <label>
        STUN servers (one per line; empty: the signaling server answers STUN)
        <textarea rows={2} value={stun} onChange={(e) => setStun(e.target.value)} spellCheck={false} placeholder="stun:stun.example.org:3478" aria-invalid={Boolean(errors.stun)} />
      </label>
      <FieldError text={errors.stun} id="stun" />
      <label>
        TURN servers (one per line)
        <textarea rows={2} value={turn} onChange={(e) => setTurn(e.target.value)} spellCheck={false} placeholder="turn:turn.example.org:3478?transport=udp" aria-invalid={Boolean(errors.turn)} />
      </label>
      <FieldError text={errors.turn} id="turn" />
      <div className="two-col">
        <label>
          TURN user
          <input value={turnUser} onChange={(e) => setTurnUser(e.target.value)} autoComplete="off" />
        </label>
        <label>
          TURN password {settings.turnPasswordSet ? <span className="tag">stored</span> : null}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" placeholder={settings.turnPasswordSet ? 'leave empty to keep' : ''} />
        </label>
      </div>
      {!settings.passwordStorable ? <p className="small-text muted">{settings.passwordNotStoredWhy || 'No OS keyring here'}: the TURN password is kept for this run only, never written to disk.</p> : null}
      {settings.turnPasswordSet ? (
        <button type="button" className="small" onClick={() => void save({ turnPassword: null })}>
          Forget TURN password
        </button>
      ) : null}
      <label>
        Servers for “Check my NAT” (RFC 5780; empty: public ones)
        <textarea rows={2} value={natServers} onChange={(e) => setNatServers(e.target.value)} spellCheck={false} aria-invalid={Boolean(errors.natServers)} />
      </label>
      <FieldError text={errors.natServers} id="natServers" />
      <FieldError text={errors['']} id="other" />
      <label className="check">
        <input type="checkbox" checked={natOnSession} onChange={(e) => setNatOnSession(e.target.checked)} /> Discover and exchange both sides’ NAT types during each session (toward the session’s STUN server)
      </label>
      <label className="check">
        <input type="checkbox" checked={includeVpn} onChange={(e) => setIncludeVpn(e.target.checked)} /> Include VPN interfaces (wt0, wg0, tailscale0, 100.64.0.0/10…) in sessions (off: test the internet path under the mesh)
      </label>
      <label className="check">
        <input type="checkbox" checked={offline} onChange={(e) => setOffline(e.target.checked)} /> Offline: contact no public STUN server when none is set above
      </label>
      <label className="check">
        <input type="checkbox" checked={portMapping} onChange={(e) => setPortMapping(e.target.checked)} /> Port mapping: ask the router (UPnP, NAT-PMP, PCP) to open the session’s port, removed at the end (off by default: it changes the router)
      </label>
      <label className="check">
        <input type="checkbox" checked={throughput} onChange={(e) => setThroughput(e.target.checked)} data-testid="throughput-switch" /> Measure throughput and the UDP rate after connecting, each way on each path (turn off on a metered or slow link: the report then says it was off)
      </label>
      <label>
        {`At most this many MB each way per path (empty: the default; up to ${MAX_THROUGHPUT_MB})`}
        <input value={capText} onChange={(e) => setCapText(e.target.value)} disabled={!throughput} inputMode="decimal" placeholder="default" aria-invalid={!capOk} spellCheck={false} data-testid="throughput-cap" />
      </label>
      {!capOk ? (
        <p className="error-text small-text" role="alert">
          {`the cap is a number of MB above 0 and at most ${MAX_THROUGHPUT_MB}; to measure nothing, untick the switch above`}
        </p>
      ) : null}
      <label>
        {`UDP ports to test outside WebRTC when hosting (up to ${MAX_PORT_TESTS}, e.g. WireGuard’s 51820)`}
        <input value={ports} onChange={(e) => setPorts(e.target.value)} placeholder="51820" aria-invalid={!portsOk} spellCheck={false} />
      </label>
      {!portsOk ? (
        <p className="error-text small-text" role="alert">
          {`ports are numbers from 1 to ${MAX_PORT}, at most ${MAX_PORT_TESTS}`}
        </p>
      ) : null}
      <fieldset>
        <legend>Interfaces to leave out (VPN tunnels hide the real path)</legend>
        {names.length === 0 ? <span className="muted small-text">no interfaces found</span> : null}
        {names.map((name) => (
          <label key={name} className="check">
            <input type="checkbox" checked={excluded.includes(name)} onChange={(e) => setExcluded(e.target.checked ? [...excluded, name] : excluded.filter((n) => n !== name))} /> {name}
            {interfaces.find((i) => i.name === name)?.vpnLike ? <span className="tag vpn">VPN</span> : null}
          </label>
        ))}
        <p className="small-text muted">Their addresses are left out of the candidates, so the test shows the path outside the tunnel.</p>
      </fieldset>
      <button type="submit" className="primary">
        Save settings
      </button>
    </form>
  )
}

export function Settings(): React.JSX.Element {
  const settings = useApp((s) => s.settings)
  return (
    <div className="settings-screen">
      <h2>Settings</h2>
      {settings ? <Form settings={settings} /> : <p className="muted">loading…</p>}
    </div>
  )
}
