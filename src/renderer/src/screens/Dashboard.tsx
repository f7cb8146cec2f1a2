import type { LiveSession } from '../model/liveSession'
import type { PairInfo } from '../../../shared/session'
import { metricCards } from '../model/metrics'
import { pathAttempts, pathView, verdictView } from '../model/verdict'
import { failureView } from '../model/failure'
import { roleName } from '../../../shared/format'
import { FailurePanel } from '../components/FailurePanel'
import { SessionStatus } from '../components/SessionStatus'
import { Glossary } from '../components/Glossary'
import { Findings } from '../components/Findings'
import { localNat, remoteNat } from '../store/app'
import { useApp } from '../store/context'
import { NatCard } from '../components/NatCard'
import { CandidateTable } from '../components/CandidateTable'
import { PairTable } from '../components/PairTable'
import { VerdictBanner } from '../components/VerdictBanner'
import { PathDiagram } from '../components/PathDiagram'
import { Timeline } from '../components/Timeline'
import { Metrics } from '../components/Metrics'
import { ExportPanel } from '../components/ExportPanel'
import { BlobBox } from '../components/BlobBox'
import { Checks } from '../components/Checks'
import { checkRows } from '../model/checks'

/** The other side's pairs, from its half of the report (the mirrored pairs' checks). */
function theirPairs(session: LiveSession): PairInfo[] {
  const other = session.report?.sides.find((s) => s.role !== session.role)
  return other && !other.missing ? other.pairs : []
}

export function Dashboard({ session }: { session: LiveSession }): React.JSX.Element {
  const nat = useApp((s) => s.nat)
  const cancel = useApp((s) => s.cancel)
  const copy = useApp((s) => s.copy)
  const mine = localNat({ session, nat })
  const theirs = remoteNat(session)
  const other = session.role === 'host' ? 'join' : 'host'
  const natOnSession = useApp((s) => s.settings?.natOnSession ?? true)
  const running = !session.end && !session.openedFrom
  const otherName = session.peer?.name ?? roleName(other)
  const end = session.end
  if (end && !end.ok) {
    return (
      <div className="dashboard">
        <FailurePanel view={failureView(end, session.role)} />
        {session.events.length ? <Timeline events={session.events} /> : null}
      </div>
    )
  }
  const heading = session.openedFrom ? 'Report' : running ? (session.role === 'host' ? 'Hosting' : 'Joining') : 'Session'
  return (
    <div className="dashboard">
      <div className="row spread wrap">
        <h2>
          {heading}
          {session.peer ? <span className="muted"> with {session.peer.name} (peerlens {session.peer.version})</span> : null}
        </h2>
        {running ? (
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        ) : null}
      </div>
      {session.openedFrom ? <p className="muted small-text mono">{session.openedFrom}</p> : null}
      {running ? <SessionStatus session={session} /> : null}
      <VerdictBanner view={verdictView(session)} />
      <Findings session={session} />
      {session.blobs.answer && running ? <BlobBox label="Answer blob: send it back to the host" blob={session.blobs.answer} /> : null}
      <div className="path-row">
        <NatCard title={`this side (${session.role})`} result={mine} pending={running} off={running && !natOnSession} />
        <PathDiagram view={pathView(session.selected, pathAttempts(session), session.report?.connection.verdict)} natLocal={mine} natRemote={theirs} localName="this side" remoteName={otherName} />
        <NatCard title={`other side (${other})`} result={theirs} pending={running} off={running && !natOnSession} />
      </div>
      <div className="two-col" id="card-candidates">
        <CandidateTable title="Local candidates" candidates={session.local} onCopy={(text, what) => void copy(text, what)} />
        <CandidateTable title="Remote candidates" candidates={session.remote} onCopy={(text, what) => void copy(text, what)} />
      </div>
      <PairTable pairs={session.pairs} selected={session.selected} theirPairs={theirPairs(session)} />
      <div className="two-col">
        <Metrics cards={metricCards(session)} />
        <div>
          <Checks rows={checkRows(session)} />
          <ExportPanel />
        </div>
      </div>
      <Timeline events={session.events} />
      <Glossary />
    </div>
  )
}
