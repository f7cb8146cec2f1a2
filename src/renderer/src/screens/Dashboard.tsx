import type { LiveSession } from '../model/liveSession'
import { metricCards } from '../model/metrics'
import { pathView, verdictView } from '../model/verdict'
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

export function Dashboard({ session }: { session: LiveSession }): React.JSX.Element {
  const nat = useApp((s) => s.nat)
  const cancel = useApp((s) => s.cancel)
  const mine = localNat({ session, nat })
  const theirs = remoteNat(session)
  const other = session.role === 'host' ? 'join' : 'host'
  const running = !session.end && !session.openedFrom
  return (
    <div className="dashboard">
      <div className="row spread wrap">
        <h2>
          {session.openedFrom ? 'Report' : session.role === 'host' ? 'Hosting' : 'Joined'}
          {session.peer ? <span className="muted"> with {session.peer.name} (peerlens {session.peer.version})</span> : null}
        </h2>
        {running ? (
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        ) : null}
      </div>
      {session.openedFrom ? <p className="muted small-text mono">{session.openedFrom}</p> : null}
      <VerdictBanner view={verdictView(session)} />
      {session.blobs.answer && running ? <BlobBox label="Answer blob: send it back to the host" blob={session.blobs.answer} /> : null}
      <div className="path-row">
        <NatCard title={`this side (${session.role})`} result={mine} pending={running} />
        <PathDiagram view={pathView(session.selected, session.report?.connection.verdict)} natLocal={mine} natRemote={theirs} localName={session.role} remoteName={other} />
        <NatCard title={`other side (${other})`} result={theirs} pending={running} />
      </div>
      <div className="two-col">
        <CandidateTable title="Local candidates" candidates={session.local} />
        <CandidateTable title="Remote candidates" candidates={session.remote} />
      </div>
      <PairTable pairs={session.pairs} selected={session.selected} />
      <div className="two-col">
        <Metrics cards={metricCards(session)} />
        <div>
          <Checks rows={checkRows(session)} />
          <ExportPanel />
        </div>
      </div>
      <Timeline events={session.events} />
    </div>
  )
}
