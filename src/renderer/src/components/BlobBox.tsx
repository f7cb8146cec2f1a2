import { CopyButton } from './CopyButton'

/** A manual-mode blob, read-only, selectable, with a copy button. */
export function BlobBox({ label, blob }: { label: string; blob: string }): React.JSX.Element {
  return (
    <div className="blob">
      <div className="row spread">
        <label htmlFor={`blob-${label}`}>{label}</label>
        <CopyButton text={blob} what={label} />
      </div>
      <textarea id={`blob-${label}`} readOnly value={blob} rows={4} onFocus={(e) => e.currentTarget.select()} />
    </div>
  )
}
