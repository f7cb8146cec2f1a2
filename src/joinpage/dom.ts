/** Builds an element; text goes in as text nodes, never as HTML, so nothing from the network can inject markup. */
export function h(tag: string, attrs: Record<string, string | undefined> = {}, ...children: Array<Node | string | null | undefined | false>): HTMLElement {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, value)
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child)
  return el
}
