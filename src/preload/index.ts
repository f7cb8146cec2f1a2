// The only bridge between the page and the main process. It exposes two functions, never
// ipcRenderer itself: `call` (request/response) and `onEvent` (the pushed stream). It runs
// sandboxed, so it is bundled as one CJS file (electron.vite.config.ts).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { AppEvent, CallResult, PeerlensBridge } from '../shared/ipc'

// Written here, not imported: a value import would pull src/shared/ipc.ts into this sandboxed
// bundle; test/reliability/ipc.test.ts checks they equal CALL_CHANNEL and EVENT_CHANNEL.
const CALL_CHANNEL = 'peerlens:call'
const EVENT_CHANNEL = 'peerlens:event'

const bridge: PeerlensBridge = {
  call: async (method, params) => {
    const result = (await ipcRenderer.invoke(CALL_CHANNEL, { method, params })) as CallResult<never>
    if (!result.ok) throw new Error(result.error)
    return result.value
  },
  onEvent: (listener) => {
    const wrapped = (_e: IpcRendererEvent, event: AppEvent): void => listener(event)
    ipcRenderer.on(EVENT_CHANNEL, wrapped)
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, wrapped)
  }
}

contextBridge.exposeInMainWorld('peerlens', bridge)
