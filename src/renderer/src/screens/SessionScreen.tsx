import { useApp } from '../store/context'
import { Dashboard } from './Dashboard'
import { HostWaiting } from './HostWaiting'

export function SessionScreen(): React.JSX.Element {
  const session = useApp((s) => s.session)
  if (!session) return <p className="muted">No session.</p>
  // The host waits on the invite screen until the joiner says hello (or a manual answer arrives).
  const waiting = session.role === 'host' && !session.end && !session.openedFrom && !session.peer && (session.phase === 'starting' || session.phase === 'signaling')
  return waiting ? <HostWaiting session={session} /> : <Dashboard session={session} />
}
