import type { VpnFact } from '../../shared/report'
import { stripCredentials, stripSecretText } from '../report/credentials'
import { findOnPath, type CommandRunner } from './exec'

const TOOLS: Array<{ tool: VpnFact['tool']; args: string[]; json: boolean }> = [
  { tool: 'netbird', args: ['status', '--json'], json: true },
  // Needs root; without it the failure ("Operation not permitted") is what gets recorded.
  { tool: 'wg', args: ['show'], json: false }
]

const MAX_TEXT = 32 * 1024

/** Status of each VPN client present on PATH; clients that are not installed are left out. */
export async function collectVpn(run: CommandRunner, timeoutMs: number, find: (name: string) => Promise<string | null> = findOnPath): Promise<VpnFact[]> {
  const out: VpnFact[] = []
  for (const { tool, args, json } of TOOLS) {
    const path = await find(tool)
    if (!path) continue
    const r = await run(path, args, timeoutMs)
    const text = r.stdout.length > MAX_TEXT ? `${r.stdout.slice(0, MAX_TEXT)}\n[truncated]` : r.stdout
    out.push({
      tool,
      command: `${tool} ${args.join(' ')}`,
      ok: !r.error,
      exitCode: r.code,
      output: json ? parseOrText(text) : stripSecretText(text),
      ...(r.error ? { error: stripSecretText(r.error) } : {})
    })
  }
  return out
}

function parseOrText(text: string): unknown {
  try {
    return stripCredentials(JSON.parse(text) as unknown)
  } catch {
    return stripSecretText(text)
  }
}
