// One table shape for the dashboard: a header row from the columns, the rows given, and a muted
// line across all columns when there is nothing to show.

export interface Column {
  label: string
  /** Right-aligned numbers. */
  num?: boolean
}

export function DataTable({ columns, empty, scrollable = true, children }: { columns: Column[]; empty?: string; scrollable?: boolean; children: React.ReactNode }): React.JSX.Element {
  const region = scrollable ? { tabIndex: 0, role: 'region', 'aria-label': 'scrollable table' } : {}
  return (
    <div className="table-wrap" {...region}>
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
  )
}
