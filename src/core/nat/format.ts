// Human-readable rendering of a NatResult and of progress lines (pure, for the CLI).
import type { NatProgress, NatResult, NatTest } from '../../shared/nat'
import { formatEndpoint } from '../stun/address'
import { natBehaviour, natMethodText } from '../../shared/format/sides'
import { formatDoubleNat, formatPortMapping } from '../../shared/format/portMapping'

const TEST_LABEL: Record<NatTest['name'], string> = {
  'mapping-1': 'mapping I    (primary)',
  'mapping-2': 'mapping II   (other IP)',
  'mapping-3': 'mapping III  (other IP+port)',
  'mapping-server2': 'mapping      (second server)',
  'filtering-1': 'filtering I  (fresh socket)',
  'filtering-2': 'filtering II (change IP+port)',
  'filtering-3': 'filtering III (change port)',
  hairpin: 'hairpin',
  'tcp-connect': 'TCP connect'
}

export function formatTest(t: NatTest): string {
  const label = TEST_LABEL[t.name].padEnd(30)
  const outcome =
    t.result === 'reply'
      ? t.name === 'hairpin'
        ? 'arrived'
        : t.name === 'tcp-connect'
          ? 'connected'
          : t.errorCode
            ? `error ${t.errorCode}`
            : `reply from ${formatEndpoint(t.from)}${t.mapped ? `, mapped ${formatEndpoint(t.mapped)}` : ''}`
      : t.result === 'timeout'
        ? `no reply (${t.attempts} sent)`
        : `${t.result}${t.detail ? `: ${t.detail}` : ''}`
  return `  ${label} -> ${formatEndpoint(t.target).padEnd(22)} ${outcome}  ${t.ms} ms`
}

export function formatProgress(p: NatProgress): string | undefined {
  if (p.kind === 'server') return `Using STUN server ${p.host} (${formatEndpoint(p.server)})`
  if (p.kind === 'test-done') return formatTest(p.test)
  return undefined
}

const yesNo = (v: boolean | null) => (v === null ? 'not tested' : v ? 'yes' : 'no')

export function formatNatResult(r: NatResult): string {
  const lines = [
    `NAT (IPv${r.family}): ${natBehaviour(r)}`,
    `  classic type:   ${r.classic}`,
    `  mapping:        ${r.mapping}`,
    `  filtering:      ${r.filtering}`,
    `  reason:         ${r.reason}`,
    `  local:          ${formatEndpoint(r.local)}`,
    `  mapped:         ${formatEndpoint(r.mapped)}`,
    `  server:         ${formatEndpoint(r.server)}${r.otherAddress ? ` (other address ${formatEndpoint(r.otherAddress)})` : ''}`,
    `  port preserved: ${yesNo(r.portPreserved)}`,
    `  hairpin:        ${yesNo(r.hairpin)}`,
    `  method:         ${natMethodText(r)}`,
    `  took:           ${r.durationMs} ms${r.rttMs !== null ? ` (server RTT ${r.rttMs} ms)` : ''}`
  ]
  if (r.portMapping) lines.push(`  port mapping:   ${formatPortMapping(r.portMapping)}`)
  if (r.doubleNat) lines.push(`  double NAT:     ${formatDoubleNat(r.doubleNat)}`)
  if (r.lifetime) lines.push(`  lifetime:       ${r.lifetime.reason}`)
  if (r.ignored.length) lines.push(`  ignored:        ${r.ignored.length} packet(s), e.g. ${r.ignored[0]!.reason} from ${formatEndpoint(r.ignored[0]!.from)}`)
  return lines.join('\n') + '\n'
}
