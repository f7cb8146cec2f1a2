// One table shape for the dashboard: a header row from the columns, the rows given, and a muted
// line across all columns when there is nothing to show. A table wider than its card says that it
// scrolls sideways (and fades at the edge) instead of silently hiding its last columns.
import { useEffect, useRef, useState } from 'react'

export interface Column {
  label: string
  /** Right-aligned numbers. */
  num?: boolean
}

export function DataTable({ columns, empty, scrollable = true, children }: { columns: Column[]; empty?: string; scrollable?: boolean; children: React.ReactNode }): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null)
  const [overflows, setOverflows] = useState(false)
  useEffect(() => {
    const el = ref.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const check = (): void => setOverflows(el.scrollWidth > el.clientWidth + 1)
    check()
    const ro = new ResizeObserver(check)
    ro.observe(el)
    if (el.firstElementChild) ro.observe(el.firstElementChild)
    return () => ro.disconnect()
  }, [])
  const region = scrollable ? { tabIndex: 0, role: 'region', 'aria-label': overflows ? 'scrollable table: scroll sideways for more columns' : 'scrollable table' } : {}
  return (
    <>
      <div className={`table-wrap ${overflows ? 'overflows' : ''}`} ref={ref} {...region}>
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.label} className={c.num ? 'num' : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {children}
            {empty !== undefined ? (
              <tr>
                <td colSpan={columns.length} className="muted">
                  {empty}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {overflows ? (
        <p className="scroll-hint small-text muted" data-testid="scroll-hint">
          more columns to the right: scroll the table sideways →
        </p>
      ) : null}
    </>
  )
}
