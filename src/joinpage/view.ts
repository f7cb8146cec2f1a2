import type { CandidateInfo, CandidateRef, PairInfo } from '../shared/session'
import { h } from './dom'
import { isMdnsName } from '../shared/protocol/candidateLine'
import { p50 } from '../shared/percentile'
import type { JoinState } from './browserJoin'
import { pairStateText } from '../shared/pairs'

const HEADLINES: Record<string, string> = {
  direct: 'Direct connection',
  relayed: 'Relayed connection',
  failed: 'No connection'
}

const PHASES: Record<string, string> = {
  signaling: 'Waiting for the host…',
  gathering: 'Gathering candidates…',
  checking: 'Checking candidate pairs…',
  connected: 'Connected, measuring…',
  measuring: 'Connected, measuring…'
}

/** Draws the whole state into `root`; the page is small enough to redraw on every change. */
export function render(root: HTMLElement, room: string, state: JoinState): void {
  // A redraw must not fold what the reader unfolded.
  const open = root.querySelector('details')?.open === true
  root.replaceChildren(summary(state), pairSection(state, open), candidateSection(state), notes(state), footer(room, state))
}

/** An error before any session exists (bad address, wrong secret, room gone). */
export function renderError(root: HTMLElement, message: string): void {
  root.replaceChildren(
    h('section', { class: 'card summary failed', id: 'summary' }, h('p', { class: 'verdict', id: 'verdict', 'data-verdict': 'error' }, 'Cannot join'), h('p', { class: 'error', id: 'error', role: 'alert' }, message))
  )
}

function summary(state: JoinState): HTMLElement {
  const verdict = state.verdict?.verdict
  const rtt = p50(state.rtts)
  return h(
    'section',
    { class: `card summary ${verdict ?? 'pending'}`, id: 'summary', 'aria-live': 'polite' },
    h('p', { class: 'verdict', id: 'verdict', 'data-verdict': verdict ?? 'pending' }, verdict ? HEADLINES[verdict]! : (PHASES[state.phase] ?? state.phase)),
    state.verdict ? h('p', { class: 'reason', id: 'reason' }, plain(state.verdict.reason)) : null,
    state.error ? h('p', { class: 'error', id: 'error', role: 'alert' }, plain(state.error)) : null,
    h(
      'dl',
      { class: 'facts' },
      fact('Round trip', rtt === null ? '–' : `${rtt.toFixed(1)} ms`, 'rtt', rtt === null ? undefined : String(rtt)),
      fact('Probes', `${state.rtts.length} answered`),
      fact('Connected after', state.connectedAfterMs === null ? '–' : `${(state.connectedAfterMs / 1000).toFixed(2)} s`),
      fact('Host', state.hostName ? `${state.hostName}${state.hostVersion ? ` (peerlens ${state.hostVersion})` : ''}` : '–')
    )
  )
}

function fact(label: string, value: string, id?: string, data?: string): DocumentFragment {
  const frag = document.createDocumentFragment()
  frag.append(h('dt', {}, label), h('dd', { id, 'data-value': data }, value))
  return frag
}

function pairSection(state: JoinState, open: boolean): HTMLElement {
  const sel = state.selected
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Selected pair'),
    sel ? h('p', { class: 'pair', id: 'selected-pair' }, endpoint('this browser', sel.local), h('span', { class: 'arrow', 'aria-hidden': 'true' }, '⇄'), endpoint('host', sel.remote)) : h('p', { class: 'muted' }, 'None yet.'),
    state.pairs.length ? pairList(state.pairs, open) : null
  )
}

function endpoint(who: string, c: CandidateRef): HTMLElement {
  return h('span', { class: 'endpoint' }, h('span', { class: `tag ${c.type}` }, c.type), ' ', h('code', {}, `${c.address}:${c.port}`), ' ', h('small', {}, `${c.protocol}, ${who}`))
}

function pairList(pairs: PairInfo[], open: boolean): HTMLElement {
  return h(
    'details',
    { open: open ? '' : undefined },
    h('summary', {}, `All candidate pairs (${pairs.length})`),
    h(
      'ul',
      { class: 'rows' },
      ...pairs.map((p) =>
        h(
          'li',
          {},
          h('code', {}, `${p.local.address}:${p.local.port}`),
          ' → ',
          h('code', {}, `${p.remote.address}:${p.remote.port}`),
          ' ',
          h('span', { class: `state ${p.unchecked ? 'unchecked' : p.state}` }, pairStateText(p) + (p.nominated ? ', nominated' : '')),
          p.rttMs !== undefined ? h('small', {}, ` ${p.rttMs} ms`) : null
        )
      )
    )
  )
}

function candidateSection(state: JoinState): HTMLElement {
  return h('section', { class: 'card columns' }, candidateList('This browser', state.local, 'local-candidates'), candidateList('Host', state.remote, 'remote-candidates'))
}

function candidateList(title: string, list: CandidateInfo[], id: string): HTMLElement {
  return h(
    'div',
    {},
    h('h2', {}, `${title} (${list.length} candidates)`),
    list.length
      ? h('ul', { class: 'rows', id }, ...list.map((c) => h('li', {}, h('span', { class: `tag ${c.type}` }, c.type), ' ', h('code', {}, `${c.address}:${c.port}`), ' ', h('small', {}, c.protocol + related(c)))))
      : h('p', { class: 'muted', id }, 'None yet.')
  )
}

function notes(state: JoinState): HTMLElement {
  const hidden = state.local.some((c) => isMdnsName(c.address))
  // Chromium drops host candidates altogether when it cannot register their mDNS names.
  const withheld = !hidden && state.local.length > 0 && !state.local.some((c) => c.type === 'host')
  const items = [
    hidden
      ? h(
          'li',
          {},
          'This browser hides its own addresses behind random ',
          h('code', {}, '.local'),
          ' names (mDNS), which peerlens does not resolve. The host pairs with the address its STUN answer or the checks revealed instead, so a direct path may show as srflx or prflx rather than host.'
        )
      : null,
    withheld ? h('li', {}, 'This browser did not share its own addresses at all (no host candidates), so only reflexive and relay paths could be tried from this side.') : null,
    h('li', {}, 'A web page cannot see its NAT type, network interfaces or routes: for those, run the peerlens app or ', h('code', {}, 'peerlens join'), ' on this laptop.')
  ]
  return h('section', { class: 'card notes' }, h('ul', {}, ...items))
}

function footer(room: string, state: JoinState): HTMLElement {
  return h('p', { class: 'muted footer', id: 'report-status' }, `Room ${room}. `, state.reportSent ? 'This side of the report was sent to the host.' : 'This side of the report goes to the host once measured.')
}

function related(c: CandidateInfo): string {
  if (!c.relatedAddress) return ''
  // Browsers that hide host addresses also blank the base of their reflexive candidates.
  if (c.relatedAddress.port === 0 && /^(0\.0\.0\.0|::)$/.test(c.relatedAddress.address)) return ', base address hidden'
  return `, from ${c.relatedAddress.address}:${c.relatedAddress.port}`
}

/** Reasons come from code in lower case; start them with a capital. */
function plain(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text
}
