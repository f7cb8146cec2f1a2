/** The page an invite URL opens in a browser. The room secret stays in the fragment, never sent here. */
export function joinPage(room: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>peerlens: join ${room}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>peerlens</h1>
<p>This is a peerlens invite for room <code>${room}</code>.</p>
<p>Join it from the peerlens app (Join, then paste this address), or from a terminal:</p>
<pre>peerlens join '&lt;this address, including the part after #&gt;'</pre>
</body></html>
`
}
