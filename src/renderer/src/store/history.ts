// The store's history and comparison part: past sessions from the main process (history.*), and
// the two reports of the Compare screen (past sessions or files), compared by the shared rule.
import type { HistoryEntry, HistoryList, PeerlensBridge } from '../../../shared/ipc'
import type { Report } from '../../../shared/report'
import { compareOrder, entryLabel } from '../model/history'
import { sessionFromReport } from '../model/liveSession'
import { IDLE_NAT } from '../model/nat'
import type { AppState } from './app'

export interface CompareSlot {
  label: string
  report: Report
}

export interface HistoryState {
  history: HistoryList
  compare: { before?: CompareSlot; after?: CompareSlot; error?: string }
  loadHistory(): Promise<void>
  openPast(id: string): Promise<void>
  forgetPast(id: string): Promise<void>
  hostAgain(entry: HistoryEntry): Promise<void>
  /** Fills a Compare slot from a past session's id, or from a file ('file'). */
  pickCompare(slot: 'before' | 'after', source: string): Promise<void>
  /** Compares two past sessions, the older as "before", and shows the Compare screen. */
  compareEntries(a: string, b: string): Promise<void>
  swapCompare(): void
}

type Set = (partial: Partial<AppState>) => void
type Get = () => AppState

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export function historySlice(bridge: PeerlensBridge, set: Set, get: Get): HistoryState {
  const slot = async (source: string): Promise<CompareSlot | undefined> => {
    if (source === 'file') {
      const opened = await bridge.call('report.open', {})
      return opened ? { label: opened.path, report: opened.report } : undefined
    }
    const entry = get().history.entries.find((e) => e.id === source)
    const opened = await bridge.call('history.open', { id: source })
    return { label: entry ? entryLabel(entry) : opened.path, report: opened.report }
  }
  return {
    history: { entries: [] },
    compare: {},

    async loadHistory() {
      try {
        set({ history: (await bridge.call('history.list', {})) ?? { entries: [] } })
      } catch (err) {
        set({ history: { entries: get().history.entries, problem: message(err) } })
      }
    },

    async openPast(id) {
      try {
        const opened = await bridge.call('history.open', { id })
        set({ session: sessionFromReport(opened.report, opened.reportId, opened.path), screen: 'session', nat: IDLE_NAT, notice: undefined })
      } catch (err) {
        set({ notice: { text: message(err), tone: 'error' } })
      }
    },

    async forgetPast(id) {
      try {
        set({ history: await bridge.call('history.remove', { id }) })
      } catch (err) {
        set({ notice: { text: message(err), tone: 'error' } })
      }
    },

    async hostAgain(entry) {
      if (!entry.again) return
      await get().host(entry.again)
      if (get().session && !get().session!.end) set({ notice: { text: `hosting again: send the new invite to ${entry.peer} (an invite serves one session)`, tone: 'info' } })
    },

    async pickCompare(which, source) {
      try {
        const picked = await slot(source)
        if (picked) set({ compare: { ...get().compare, [which]: picked, error: undefined } })
      } catch (err) {
        set({ compare: { ...get().compare, [which]: undefined, error: message(err) } })
      }
    },

    async compareEntries(a, b) {
      const [before, after] = compareOrder(get().history.entries, a, b)
      set({ compare: {}, screen: 'compare', notice: undefined })
      await get().pickCompare('before', before)
      await get().pickCompare('after', after)
    },

    swapCompare() {
      const { before, after } = get().compare
      set({ compare: { ...(after ? { before: after } : {}), ...(before ? { after: before } : {}) } })
    }
  }
}
