import { describe, expect, it } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { menuTemplate } from '../../src/main/menu'
import type { MenuAction } from '../../src/shared/ipc'

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])])
}

describe('app menu', () => {
  it('sends each of its actions to the renderer', () => {
    const sent: MenuAction[] = []
    const all = items(menuTemplate((a) => sent.push(a), { isMac: false, dev: false }))
    for (const i of all) if (i.click) (i.click as () => void)()
    expect(new Set(sent)).toEqual(new Set(['home', 'open-report', 'export', 'check-nat', 'settings']))
    expect(all.find((i) => i.label === 'Open Report…')?.accelerator).toBe('CmdOrCtrl+O')
  })

  it('offers developer tools only in development', () => {
    const roles = (dev: boolean): unknown[] => items(menuTemplate(() => {}, { isMac: true, dev })).map((i) => i.role)
    expect(roles(false)).not.toContain('toggleDevTools')
    expect(roles(true)).toContain('toggleDevTools')
    expect(roles(false)).toContain('appMenu')
  })
})
