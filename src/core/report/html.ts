// The report as one self-contained HTML page: inline CSS and SVG, no script, no external resource
// (the Content-Security-Policy says so to the browser too), readable on screen and on paper.
import type { Report } from '../../shared/report'
import { roleName, utc } from '../../shared/format'
import { esc } from './html/escape'
import { CSS } from './html/style'
import { candidatesSection, findingsSection, pairsSection, pathsSection, sidesSection, summarySection, systemSection, timelineSection } from './html/sections'
import { stripCredentials } from './credentials'

export function renderHtml(input: Report): string {
  const report = stripCredentials(input)
  const title = `peerlens report: ${report.connection.verdict}, ${utc(report.createdAt)}`
  const redacted = report.redaction ? ` \u00b7 <span class="flag muted">redacted</span>` : ''
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="peerlens ${esc(report.app.version)}">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="top"><h1>peerlens report</h1><div class="meta">written by the ${esc(roleName(report.writtenBy))} at ${esc(utc(report.createdAt))} \u00b7 peerlens ${esc(report.app.version)}${report.room ? ` \u00b7 room ${esc(report.room)}` : ''}${redacted}</div></header>
${summarySection(report)}
${findingsSection(report)}
${sidesSection(report)}
${pathsSection(report)}
${candidatesSection(report)}
${pairsSection(report)}
${timelineSection(report)}
${systemSection(report)}
<footer>${esc(report.schema)} \u00b7 ${report.redaction ? esc(report.redaction.note) : 'not redacted: this page shows the addresses as they were'} \u00b7 The JSON report is the source of truth: <code>peerlens show REPORT.json</code> renders it again.</footer>
</main>
</body>
</html>
`
}
