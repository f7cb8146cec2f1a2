// The application menu as data: actions the renderer carries out are sent to it as menu events.
import type { MenuItemConstructorOptions } from 'electron'
import type { MenuAction } from '../shared/ipc'

export function menuTemplate(send: (action: MenuAction) => void, o: { isMac: boolean; dev: boolean }): MenuItemConstructorOptions[] {
  const item = (label: string, action: MenuAction, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => send(action)
  })
  return [
    ...(o.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('Home', 'home', 'CmdOrCtrl+Shift+H'),
        item('Open Report…', 'open-report', 'CmdOrCtrl+O'),
        item('Export Report…', 'export', 'CmdOrCtrl+S'),
        { type: 'separator' },
        item('Check My NAT', 'check-nat', 'CmdOrCtrl+N'),
        item('Settings…', 'settings', 'CmdOrCtrl+,'),
        { type: 'separator' },
        o.isMac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(o.dev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
      ]
    },
    { role: 'windowMenu' }
  ]
}
