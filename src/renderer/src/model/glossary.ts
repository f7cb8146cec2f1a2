// The dashboard's NAT words for people who do not read RFCs: a short label, one sentence on what a
// type means for connecting, each mapping/filtering/test term in plain words (shown on hover and in
// the glossary). The classic titles themselves come from src/shared/format (NAT_TITLES).
import glossary from './glossary.json'

export type Goodness = 'good' | 'ok' | 'bad' | 'unknown'

const SHORT: Record<string, string> = {
  'open-internet': 'no NAT',
  'full-cone': 'full cone',
  'restricted-cone': 'restricted',
  'port-restricted-cone': 'port-restricted',
  symmetric: 'symmetric',
  'symmetric-udp-firewall': 'UDP firewall',
  'udp-blocked': 'UDP blocked',
  unknown: 'unknown'
}

/** A few words for the path diagram's NAT boxes. */
export function natShort(classic: string): string {
  return SHORT[classic] ?? classic
}

const MEANING: Record<string, [Goodness, string]> = {
  'open-internet': ['good', 'This side has a public address: others can reach it directly.'],
  'full-cone': ['good', 'Once this side sends out, anyone can reach it on that port: direct connections work.'],
  'restricted-cone': ['good', 'Direct connections work once both sides send to each other (ICE does that).'],
  'port-restricted-cone': ['ok', 'Direct connections work with most peers; two of these, or one and a symmetric NAT, may need the relay.'],
  symmetric: ['bad', 'Every destination gets a new public port: direct connections mostly fail unless the other side is open; expect the TURN relay.'],
  'symmetric-udp-firewall': ['bad', 'A public address, but a firewall drops unsolicited UDP: the other side must start, or use the relay.'],
  'udp-blocked': ['bad', 'No UDP gets out: only a TURN relay over TCP or TLS can connect.'],
  unknown: ['unknown', 'Not enough answers to tell: the tests could not decide.']
}

/** One sentence on what the NAT type means for connecting, and whether that is good news. */
export function natMeaning(classic: string): { goodness: Goodness; sentence: string } {
  const [goodness, sentence] = MEANING[classic] ?? MEANING['unknown']!
  return { goodness, sentence }
}

const MAPPING: Record<string, string> = {
  none: 'no translation (public address)',
  'endpoint-independent': 'same public port for every destination',
  'address-dependent': 'a new public port per destination address',
  'address-and-port-dependent': 'a new public port per destination',
  unknown: 'not determined'
}

const FILTERING: Record<string, string> = {
  'endpoint-independent': 'lets in anyone once a port is open',
  'address-dependent': 'lets in only addresses this side sent to',
  'address-and-port-dependent': 'lets in only the exact address and port this side sent to',
  unknown: 'not determined'
}

export function mappingWords(v: string): string {
  return MAPPING[v] ?? v
}

export function filteringWords(v: string): string {
  return FILTERING[v] ?? v
}

const TESTS: Record<string, string> = {
  'mapping-1': 'public address seen by the server',
  'mapping-2': 'public address seen by the server’s other address',
  'mapping-3': 'public address seen by the server’s other address and port',
  'mapping-server2': 'public address seen by a second server',
  'filtering-1': 'control: an answer from the server’s own address',
  'filtering-2': 'an answer from the server’s other address and port',
  'filtering-3': 'an answer from the same address, other port',
  hairpin: 'reaching our own public address from inside',
  'tcp-connect': 'TCP connection to the server'
}

/** "public address seen by the server (mapping-1)": a NAT test's name said plainly. */
export function testWords(name: string): string {
  return TESTS[name] ? `${TESTS[name]} (${name})` : name
}

/** The glossary: each term the NAT cards use, with what it means (prose, kept as data in glossary.json). */
export const GLOSSARY: Array<{ term: string; meaning: string }> = glossary

/** The hover explanation for a NAT card row label. */
export function termHelp(label: string): string {
  return GLOSSARY.find((g) => g.term.toLowerCase() === label.toLowerCase())?.meaning ?? ''
}
