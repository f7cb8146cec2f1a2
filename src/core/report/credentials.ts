// Credentials never reach a report, a rendering or a log line: applied when a report is built,
// when a peer's half is accepted, and again before anything is rendered or pushed (a report read
// from disk may come from an older or foreign writer).

/** Keys whose values are credentials: the whole key is dropped. */
const SECRET_KEY = /(password|passwd|passphrase|secret|token|credential|private_?key|preshared_?key|api_?key|authorization|cookie)|^(pass|pwd|psk|turnpass|turn-pass|ice-?pwd)$/i

/** Text that carries a credential inside an otherwise harmless string, with its replacement. */
const SECRET_TEXT: Array<[RegExp, string]> = [
  // user:password@ in URLs (turn://user:pass@host, http://u:p@h)
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]*@/gi, '$1'],
  // turn:user:pass@host (no slashes)
  [/\b(turns?:)[^\s/@:]+:[^\s/@]*@/gi, '$1'],
  // the room secret travels in the invite's fragment
  [/(\/join\/[A-Za-z0-9_-]+)#[^\s"'<>]*/g, '$1'],
  // manual-mode blobs carry SDP with ICE passwords
  [/\bPL1:[A-Za-z0-9_\-+/=]{8,}/g, 'PL1:[removed]'],
  [/(a=ice-pwd:)\S+/g, '$1[removed]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [removed]'],
  // key=value and key: value forms (query strings, wg show, logs)
  [/\b((?:private|preshared)[ _-]?key|password|passwd|secret|token|api[_-]?key)(\s*[:=]\s*)(?!\(hidden\)|\[removed\])[^\s&,;"'}]+/gi, '$1$2[removed]']
]

export function stripSecretText(text: string): string {
  let out = text
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement)
  return out
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key)
}

/** A deep copy with every credential-like key dropped and every string cleaned. */
export function stripCredentials<T>(value: T): T {
  return strip(value) as T
}

/**
 * Deeper than any report nests: what every entry point (a peer's half, a report file) has already
 * bounded to far less (bounds.ts). Past it, values are dropped rather than recursed into, so a
 * value that came in some other way still cannot overflow the stack here.
 */
const MAX_DEPTH = 256

function strip(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return stripSecretText(value)
  if (depth >= MAX_DEPTH && value && typeof value === 'object') return null
  if (Array.isArray(value)) return value.map((v) => strip(v, depth + 1))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      // defineProperty: a key named "__proto__" stays a plain key instead of replacing the prototype.
      if (!isSecretKey(k)) Object.defineProperty(out, k, { value: strip(v, depth + 1), enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  return value
}
