import { useApp } from '../store/context'
import { Dashboard } from './Dashboard'
import { HostWaiting } from './HostWaiting'

export function SessionScreen(): React.JSX.Element {
  const session = useApp((s) => s.session)
  if (!session) return <p className="muted">No session.</p>
  // The host waits on the invite screen until the joiner says hello, or in manual mode until the
  // answer blob is pasted (manual mode starts as if the joiner had already said hello).
  const live = session.role === 'host' && !session.end && !session.openedFrom
  const noJoinerYet = !session.peer && (session.phase === 'starting' || session.phase === 'signaling')
  const manualWaiting = session.blobs.offer !== undefined && !session.answered
  const waiting = live && (noJoinerYet || manualWaiting || (session.peer?.name === 'manual' && !session.answered))
  return waiting ? <HostWaiting session={session} /> : <Dashboard session={session} />
}
