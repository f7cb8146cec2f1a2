// The join page's files are handed to the server by its caller; the server never looks for them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { joinAsset, readJoinPageAssets } from '../../../src/core/signaling/joinPage'
import { SignalingServer } from '../../../src/core/signaling/server'

let server: SignalingServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function serve(options: ConstructorParameters<typeof SignalingServer>[0]): Promise<string> {
  server = new SignalingServer(options)
  const address = await server.listen(0, '127.0.0.1')
  return `http://127.0.0.1:${address.port}/`
}

describe('join page assets', () => {
  it('reads both files from the folder it is given, and nothing when they are not there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'peerlens-joinpage-'))
    try {
      expect(await readJoinPageAssets(dir)).toBeUndefined()
      await writeFile(join(dir, 'join.js'), 'js()')
      await writeFile(join(dir, 'join.css'), '.a{}')
      expect(await readJoinPageAssets(dir)).toEqual({ js: 'js()', css: '.a{}' })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('looks up only join.js and join.css', () => {
    const assets = { js: 'js()', css: '.a{}' }
    expect(joinAsset('join.js', assets)).toMatchObject({ body: 'js()', contentType: expect.stringMatching(/^text\/javascript/) })
    expect(joinAsset('join.css', assets)).toMatchObject({ body: '.a{}' })
    for (const name of ['__proto__', 'constructor', 'join.ts']) expect(joinAsset(name, assets)).toBeUndefined()
  })

  it('serves what it was handed, and says the page is not built when it was handed nothing', async () => {
    let base = await serve({ joinPage: { js: 'handed()', css: '.handed{}' } })
    expect(await (await fetch(`${base}join-assets/join.js`)).text()).toBe('handed()')
    await server!.close()
    base = await serve({})
    const res = await fetch(`${base}join-assets/join.js`)
    expect(res.status).toBe(503)
    expect(await res.text()).toMatch(/npm run build:cli/)
    expect((await fetch(`${base}join-assets/other.js`)).status).toBe(404)
  })
})
