import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('peerlens', { version: 1 })
