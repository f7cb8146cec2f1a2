import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import { DEV_CSP, RENDERER_CSP } from './src/main/security'

/** The CSP lives in one place (src/main/security.ts, asserted by tests) and is written into index.html here. */
function csp(): Plugin {
  let policy = RENDERER_CSP
  return {
    name: 'peerlens-csp',
    configResolved(config) {
      // Vite's dev server needs inline styles and its websocket; the built app gets the strict policy.
      if (config.command === 'serve') policy = DEV_CSP
    },
    transformIndexHtml: {
      order: 'pre',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }]
    }
  }
}

export default defineConfig({
  main: {
    build: { outDir: 'out/main' }
  },
  preload: {
    // The preload runs sandboxed: it cannot require externalized packages, so bundle everything.
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { outDir: 'out/renderer' },
    plugins: [react(), csp()]
  }
})
