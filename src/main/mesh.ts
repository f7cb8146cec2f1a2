// The Mesh screen's main-process side: reads a group's matrix from the signaling server (the code
// `peerlens matrix` uses) and keeps, for this run of the app, what changed between readings. The
// group secret is used for the one request and dropped: never logged, stored or sent back.
import type { Matrix } from '../shared/mesh/matrix'
import { matrixChanges, withChanges, type MatrixChange } from '../shared/mesh/changes'
import type { MeshParams, MeshView } from '../shared/ipc'

export type ReadMatrix = (signal: string, group: string, secret: string) => Promise<Matrix>

/** How many groups the app remembers changes for in one run. */
const MAX_GROUPS = 16

export class MeshReader {
  private readonly seen = new Map<string, { matrix: Matrix; changes: MatrixChange[] }>()

  constructor(
    private readonly read: ReadMatrix,
    private readonly now: () => Date = () => new Date()
  ) {}

  async matrix({ signal, group, secret }: MeshParams): Promise<MeshView> {
    const matrix = await this.read(signal, group, secret)
    const readAt = this.now().toISOString()
    const key = `${new URL(signal).origin}\u0000${group}`
    const last = this.seen.get(key)
    const changes = withChanges(last?.changes ?? [], matrixChanges(last?.matrix, matrix, readAt))
    this.seen.delete(key)
    this.seen.set(key, { matrix, changes })
    if (this.seen.size > MAX_GROUPS) this.seen.delete(this.seen.keys().next().value!)
    return { signal, group, readAt, matrix, changes }
  }
}
