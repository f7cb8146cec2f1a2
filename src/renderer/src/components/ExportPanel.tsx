import { useState } from 'react'
import type { ReportFormat } from '../../../shared/ipc'
import { useApp } from '../store/context'

const LABELS: Record<ReportFormat, string> = { json: 'JSON report', html: 'HTML report', markdown: 'Markdown summary' }
const ALL: ReportFormat[] = ['json', 'html', 'markdown']

export function ExportPanel(): React.JSX.Element {
  const formats = useApp((s) => s.formats)
  const ready = useApp((s) => Boolean(s.session?.reportId))
  const save = useApp((s) => s.saveReport)
  const copySummary = useApp((s) => s.copySummary)
  const [redact, setRedact] = useState(false)
  const notice = useApp((s) => (s.notice?.where === 'export' ? s.notice : undefined))
  const ended = useApp((s) => Boolean(s.session?.end || s.session?.openedFrom))
  return (
    <section className="card export" aria-label="Export" data-testid="export">
      <h3>Export</h3>
      <div className="row wrap">
        {ALL.map((f) => (
          <button key={f} type="button" disabled={!ready || !formats.includes(f)} onClick={() => void save(f, redact)} title={formats.includes(f) ? '' : 'arrives with the report module'}>
            Save {LABELS[f]}
          </button>
        ))}
        <button type="button" onClick={() => void copySummary()}>
          Copy summary
        </button>
      </div>
      <label className="check small-text">
        <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} /> Redact public addresses (the same address always gets the same stand-in)
      </label>
      {!ready ? <p className="muted small-text">{ended ? 'No report: the session ended without one.' : 'The report holding both sides is ready when the session ends.'}</p> : null}
      {notice ? (
        <p className={`small-text ${notice.tone === 'error' ? 'error-text' : 'saved-text'}`} role={notice.tone === 'error' ? 'alert' : 'status'} data-testid="export-notice">
          {notice.text}
        </p>
      ) : null}
    </section>
  )
}
