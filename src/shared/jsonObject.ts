/** A JSON text's top-level object, or undefined for anything else (broken JSON, arrays, null, numbers). */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    return undefined
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
}
