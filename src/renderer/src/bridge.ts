import type { PeerlensBridge } from '../../shared/ipc'

declare global {
  interface Window {
    /** Exposed by the preload (src/preload/index.ts); the e2e test injects an equivalent. */
    peerlens?: PeerlensBridge
  }
}

export function bridge(): PeerlensBridge {
  if (!window.peerlens) throw new Error('peerlens bridge missing: the page must run inside the app')
  return window.peerlens
}
