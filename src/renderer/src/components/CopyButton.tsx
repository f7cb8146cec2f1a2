import { useApp } from '../store/context'

export function CopyButton({ text, what, label = 'Copy' }: { text: string; what: string; label?: string }): React.JSX.Element {
  const copy = useApp((s) => s.copy)
  return (
    <button type="button" className="small" onClick={() => void copy(text, what)} aria-label={`Copy ${what}`}>
      {label}
    </button>
  )
}
