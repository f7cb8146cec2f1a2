// The text of one member of a JSON object, cut from the text it came in. The server stores a
// message's "data" as the text it received, not as a parsed value: a parsed value of many small
// arrays takes tens of times its text in memory, and the text is what the other peer gets back.

const WHITESPACE = new Set([' ', '\t', '\n', '\r'])

/**
 * The raw text of the top-level member `key` of a JSON object (the last one, as JSON.parse keeps
 * the last of duplicate keys), or undefined when there is none. `text` must be valid JSON (the
 * caller has parsed it already), so the scan only needs to find where values end.
 */
export function rawMember(text: string, key: string): string | undefined {
  let i = skipSpace(text, 0)
  if (text[i] !== '{') return undefined
  i = skipSpace(text, i + 1)
  let found: string | undefined
  while (i < text.length && text[i] !== '}') {
    const keyEnd = stringEnd(text, i)
    const name = JSON.parse(text.slice(i, keyEnd)) as string
    const start = skipSpace(text, skipSpace(text, keyEnd) + 1) // past the colon
    const end = valueEnd(text, start)
    if (name === key) found = text.slice(start, end)
    i = skipSpace(text, end)
    if (text[i] === ',') i = skipSpace(text, i + 1)
  }
  return found
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && WHITESPACE.has(text[i]!)) i++
  return i
}

/** The index just past the string that starts (with its quote) at i. */
function stringEnd(text: string, i: number): number {
  let j = i + 1
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
  return j + 1
}

/** The index just past the value that starts at i; counts brackets without recursion. */
function valueEnd(text: string, i: number): number {
  const first = text[i]
  if (first === '"') return stringEnd(text, i)
  if (first !== '{' && first !== '[') {
    let j = i
    while (j < text.length && !WHITESPACE.has(text[j]!) && text[j] !== ',' && text[j] !== '}' && text[j] !== ']') j++
    return j
  }
  let depth = 0
  let j = i
  while (j < text.length) {
    const c = text[j]
    if (c === '"') {
      j = stringEnd(text, j)
      continue
    }
    if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') {
      depth--
      if (depth === 0) return j + 1
    }
    j++
  }
  return j
}
