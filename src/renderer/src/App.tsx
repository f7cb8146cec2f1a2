import { useApp } from './store/context'
import { Home } from './screens/Home'
import { SessionScreen } from './screens/SessionScreen'
import { NatScreen } from './screens/NatScreen'
import { Settings } from './screens/Settings'
import { Compare } from './screens/Compare'
import { Mesh } from './screens/Mesh'

function Nav(): React.JSX.Element {
  const screen = useApp((s) => s.screen)
  const go = useApp((s) => s.go)
  const hasSession = useApp((s) => Boolean(s.session))
  const openReport = useApp((s) => s.openReport)
  const item = (label: string, target: typeof screen, enabled = true): React.JSX.Element => (
    <button type="button" className={`nav ${screen === target ? 'active' : ''}`} aria-current={screen === target ? 'page' : undefined} disabled={!enabled} onClick={() => go(target)}>
      {label}
    </button>
  )
  return (
    <header className="topbar">
      <div className="brand" aria-label="peerlens">
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <circle cx="5" cy="12" r="3.2" />
          <circle cx="19" cy="12" r="3.2" />
          <path d="M8 12h8" />
        </svg>
        peerlens
      </div>
      <nav aria-label="Main">
        {item('Home', 'home')}
        {item('Session', 'session', hasSession)}
        {item('My NAT', 'nat')}
        {item('Compare', 'compare')}
        {item('Mesh', 'mesh')}
        {item('Settings', 'settings')}
        <button type="button" className="nav" onClick={() => void openReport()}>
          Open report
        </button>
      </nav>
    </header>
  )
}

function Notice(): React.JSX.Element | null {
  const notice = useApp((s) => s.notice)
  const dismiss = useApp((s) => s.dismissNotice)
  // Saves and their errors show in the export panel, where the user clicked.
  if (!notice || notice.where) return null
  return (
    <div className={`notice ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button type="button" className="small" onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  )
}

export function App(): React.JSX.Element {
  const screen = useApp((s) => s.screen)
  return (
    <>
      <Nav />
      <Notice />
      <main>
        {screen === 'home' ? <Home /> : null}
        {screen === 'session' ? <SessionScreen /> : null}
        {screen === 'nat' ? <NatScreen /> : null}
        {screen === 'settings' ? <Settings /> : null}
        {screen === 'compare' ? <Compare /> : null}
        {screen === 'mesh' ? <Mesh /> : null}
      </main>
    </>
  )
}
