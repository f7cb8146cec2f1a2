// The one stylesheet, inlined into every HTML report: system fonts, no web fonts, prints on A4.
export const CSS = `
:root { --fg: #1d2330; --muted: #5d6677; --line: #d9dee7; --bg: #ffffff; --panel: #f6f8fb;
  --ok: #1f8a4c; --warn: #b7791f; --bad: #c53030; --blue: #2b6cb0; --purple: #6b46c1; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; }
header.top { display: flex; justify-content: space-between; align-items: baseline; gap: 16px; border-bottom: 2px solid var(--fg); padding-bottom: 8px; }
header.top h1 { margin: 0; font-size: 22px; white-space: nowrap; letter-spacing: -0.01em; }
header.top .meta { color: var(--muted); font-size: 12.5px; text-align: right; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14.5px; margin: 16px 0 6px; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.summary { display: grid; grid-template-columns: 170px minmax(0, 1fr); gap: 18px; align-items: start; margin-top: 18px; padding: 16px 18px; border-radius: 10px; background: var(--panel); border-left: 6px solid var(--muted); }
.summary.direct { border-left-color: var(--ok); } .summary.relayed, .summary.tunneled { border-left-color: var(--warn); } .summary.failed { border-left-color: var(--bad); }
.verdict { font-size: 28px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.03em; }
.direct .verdict { color: var(--ok); } .relayed .verdict, .tunneled .verdict { color: var(--warn); } .failed .verdict { color: var(--bad); }
.summary .attempts { grid-column: 1 / -1; }
.summary .attempts table { margin: 0; }
.summary .reason { font-size: 15px; margin: 0 0 8px; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
dl.kv dt { color: var(--muted); } dl.kv dd { margin: 0; overflow-wrap: break-word; min-width: 0; }
.flag { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; font-weight: 600; color: #fff; background: var(--bad); vertical-align: 1px; white-space: nowrap; }
.flag.ok { background: var(--ok); } .flag.warn { background: var(--warn); } .flag.muted { background: var(--muted); }
ul.findings { list-style: none; padding: 0; margin: 0; }
ul.findings li { padding: 6px 10px 6px 12px; margin: 4px 0; border-left: 4px solid var(--line); background: var(--panel); border-radius: 4px; }
ul.findings li.bad { border-left-color: var(--bad); } ul.findings li.warn { border-left-color: var(--warn); } ul.findings li.info { border-left-color: var(--blue); }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; align-items: start; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px 12px; min-width: 0; }
.card h3 { margin-top: 2px; }
.card.missing { background: #fff5f5; border-color: #feb2b2; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 12.5px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
th { background: var(--panel); font-weight: 600; color: var(--muted); }
tr { break-inside: avoid; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: var(--muted); }
.state { font-weight: 600; } .state.s-ok { color: var(--ok); } .state.s-fail { color: var(--bad); } .state.unchecked { font-weight: 400; color: #718096; } .state.s-progress, .state.s-waiting { color: var(--warn); }
tr.selected td { background: #f0fff4; }
tr.vpn td:first-child::after { content: " VPN"; font-size: 10.5px; font-weight: 700; color: var(--purple); }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; white-space: pre-wrap; overflow-wrap: break-word; max-height: 320px; overflow: auto; margin: 4px 0 10px; }
svg.chart { display: block; margin: 6px 0 12px; font-family: inherit; }
svg.chart.small { max-width: 520px; }
svg .axis { stroke: #8a94a6; stroke-width: 1; } svg .grid { stroke: #edf0f5; stroke-width: 1; }
svg .tick { font-size: 10.5px; fill: var(--muted); } svg .lane { font-size: 12px; font-weight: 600; fill: var(--fg); }
svg .laneline { stroke: var(--line); stroke-width: 1; }
svg .phase { stroke: #4a5568; stroke-width: 1; stroke-dasharray: 3 2; } svg .phaselabel { font-size: 10px; fill: #4a5568; }
svg .pairlabel { font-size: 11px; fill: var(--fg); font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
svg .e-cand { fill: var(--blue); } svg .e-ok { fill: var(--ok); } svg .e-fail { fill: var(--bad); } svg .e-pair { fill: #d69e2e; }
svg .e-key { fill: var(--purple); stroke: #fff; stroke-width: 1; } svg .e-signal { fill: #a0aec0; } svg .e-other { fill: #718096; }
svg .s-frozen { fill: #cbd5e0; } svg .s-waiting { fill: #f6e05e; } svg .s-progress { fill: #ed8936; } svg .s-ok { fill: var(--ok); } svg .s-fail { fill: var(--bad); }
svg .bar { fill: var(--blue); } svg .tbar { fill: var(--purple); } svg .lost { fill: var(--bad); font-size: 14px; font-weight: 700; }
svg .median { stroke: var(--fg); stroke-dasharray: 4 3; stroke-width: 1; }
.legend span { display: inline-block; margin-right: 12px; font-size: 12px; color: var(--muted); }
.legend i { display: inline-block; width: 12px; height: 10px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
footer { margin-top: 32px; padding-top: 8px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
@media (max-width: 760px) { .cols, .summary { grid-template-columns: 1fr; } }
@media print {
  body { font-size: 10.5pt; } main { max-width: none; padding: 0; }
  h2 { break-after: avoid; } .card, svg.chart, .summary, ul.findings li { break-inside: avoid; }
  pre { max-height: none; overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 14mm 12mm; }
`
