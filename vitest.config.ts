import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['test/globalSetup.ts'],
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Network and process tests share two cores with everything else: give them room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // NAT lab tests build namespaces with fixed names: never run two files of them at once.
    fileParallelism: true,
    pool: 'forks',
    reporters: ['default']
  }
})
