import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

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
    resolve: { alias: { '@shared': resolve('src/shared') } },
    plugins: [react()]
  }
})
