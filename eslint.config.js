import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

/** no-restricted-imports patterns for a file `depth` folders deep in src/shared (1: src/shared/x.ts). */
function sharedLayer(depth) {
  return [
    { regex: '^(?![.]{1,2}/)', message: 'src/shared imports only src/shared: no node:* module and no package.' },
    { regex: `^([.][.]/){${depth}}`, message: 'src/shared imports only src/shared: this path leaves the folder.' }
  ]
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-output/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Core must never reach for Electron: it runs in the CLI and in tests too.
      'no-restricted-imports': 'off'
    }
  },
  {
    files: ['src/core/**', 'src/cli/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['electron/*'] }] }
  },
  // The common layer (VS Code's `common` folders): pure, browser-safe code the engine, the CLI, the
  // app and the join page share. A file there imports only other files of src/shared: no node:*
  // module, no package (werift, electron, zod, react...), no package.json, nothing from a sibling
  // folder of src. Relative paths are judged by depth: from src/shared/x.ts any '../' leaves the layer,
  // from src/shared/format/x.ts '../../' does.
  ...[1, 2, 3, 4].map((depth) => ({
    files: [`src/shared/${'*/'.repeat(depth - 1)}*.{ts,tsx}`],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { patterns: sharedLayer(depth) }] }
  })),
  {
    // The join page runs in any browser, served by the signaling server: browser APIs only.
    files: ['src/joinpage/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { patterns: ['node:*', 'electron', 'werift', '**/core/**'] }] }
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { patterns: ['node:*', 'electron', 'werift', '**/core/**'] }] }
  }
)
