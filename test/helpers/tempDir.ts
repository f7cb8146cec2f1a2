// A temporary directory that removes itself when its tests are done, so runs leave nothing in /tmp.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, onTestFinished } from 'vitest'

/**
 * mkdtemp under the OS temp dir. Called at file or describe level, it is removed after those tests;
 * called inside a test, after that test.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `peerlens-${prefix}-`))
  const remove = (): void => rmSync(dir, { recursive: true, force: true })
  try {
    onTestFinished(remove)
  } catch {
    afterAll(remove)
  }
  return dir
}
