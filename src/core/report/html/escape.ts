/** Escapes text for HTML element content and quoted attributes (reports are untrusted input). */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** A number for SVG coordinates: short and locale-free. */
export function n(value: number): string {
  return String(Math.round(value * 10) / 10)
}
