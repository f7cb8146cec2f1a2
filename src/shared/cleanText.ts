// Strings from the other side (or from a report file someone sent) are cleaned on arrival, before
// anything checks, stores or renders them: a joiner named "a\e]0;PWNED\a\e[2J" must not retitle or
// clear the host's terminal, and a newline in a NAT's mapped address must not start a Markdown line.
// Each output format still escapes for itself; this is the first line of defence, not the only one.
//
// Two kinds of field:
// - single-line (every field but the one below: names, versions, addresses, reasons, messages,
//   event fields, keys): line breaks and tabs become a space, every other control character goes,
//   and the text is shortened to MAX_LINE_CHARS with an ellipsis;
// - multi-line: a VPN client's status output (`system.vpn[].output`, and every string inside it
//   when it is parsed JSON), shown as a block: line breaks become "\n", tabs stay, every other
//   control character goes, nothing is shortened (the size bounds still hold).
// Removed everywhere: C0 controls, DEL, C1 controls (U+0080-U+009F, among them the 8-bit CSI that
// some terminals obey), and the bidirectional marks and overrides that make text show in another
// order than it reads (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069).

/** A single-line field longer than this is shortened: no real name, reason or message comes close. */
export const MAX_LINE_CHARS = 2000

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g

export function cleanLine(text: string): string {
  const flat = text.replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(CONTROLS, '')
  return flat.length > MAX_LINE_CHARS ? `${flat.slice(0, MAX_LINE_CHARS - 1)}…` : flat
}

export function cleanBlock(text: string): string {
  return text.replace(LINE_BREAKS, '\n').replace(CONTROLS, '')
}

type Path = Array<string | number>

/** Where multi-line text lives: `system.vpn[N].output`, in a half or in a report's side. */
function startsBlock(path: Path, key: string): boolean {
  const n = path.length
  return key === 'output' && typeof path[n - 1] === 'number' && path[n - 2] === 'vpn' && path[n - 3] === 'system'
}

/**
 * A copy with every string and key cleaned. Call it only on a value within bounds (bounds.ts): it
 * recurses once per level of nesting.
 */
export function cleanStrings<T>(value: T): T {
  return clean(value, [], false) as T
}

function clean(value: unknown, path: Path, block: boolean): unknown {
  if (typeof value === 'string') return block ? cleanBlock(value) : cleanLine(value)
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      path.push(i)
      const out = clean(item, path, block)
      path.pop()
      return out
    })
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const inBlock = block || startsBlock(path, key)
      path.push(key)
      const cleaned = clean(item, path, inBlock)
      path.pop()
      // defineProperty: a key named "__proto__" stays a plain key instead of replacing the prototype.
      Object.defineProperty(out, block ? key.replace(CONTROLS, '') : cleanLine(key), { value: cleaned, enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  return value
}
