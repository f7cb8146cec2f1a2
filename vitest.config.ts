import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['test/globalSetup.ts'],
    // Network and process tests share two cores with everything else: give them room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      // Each project names its own files: with `extends`, an include at the root would be added to both.
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: [...configDefaults.exclude, 'test/natlab/**'] } },
      // Real NATs in network namespaces: one file at a time, after the other tests, so timing-sensitive
      // verdicts never share the two cores with the rest of the suite.
      { extends: true, test: { name: 'natlab', include: ['test/natlab/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } }
    ]
  }
})
