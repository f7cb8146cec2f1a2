// The join page's built files, as the entry points hand them to the signaling server. The global
// setup (test/globalSetup.ts) runs `npm run build:cli`, which writes them to out/joinpage.
import { readJoinPageAssets, type JoinPageAssets } from '../../src/core/signaling/joinPage'

export const JOIN_PAGE_DIR = new URL('../../out/joinpage/', import.meta.url)

export async function builtJoinPage(): Promise<JoinPageAssets> {
  const assets = await readJoinPageAssets(JOIN_PAGE_DIR)
  if (!assets) throw new Error('out/joinpage is missing: run npm run build:cli')
  return assets
}
