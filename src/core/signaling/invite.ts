/** What an invite URL (`http://HOST:PORT[/prefix]/join/ROOM#SECRET`) carries. */
export interface Invite {
  /** Base URL of the signaling server, ending in '/'. */
  server: string
  room: string
  secret: string
}

export class InviteError extends Error {
  override name = 'InviteError'
}

export function formatInvite(server: string, room: string, secret: string): string {
  const base = server.endsWith('/') ? server : server + '/'
  return `${base}join/${encodeURIComponent(room)}#${secret}`
}

export function parseInvite(text: string): Invite {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    throw new InviteError(`not an invite URL: ${JSON.stringify(text.slice(0, 80))}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InviteError(`invite must be http or https, not ${url.protocol}`)
  const match = /^(.*\/)join\/([A-Za-z0-9_-]{1,64})\/?$/.exec(url.pathname)
  if (!match) throw new InviteError('invite has no /join/ROOM path')
  const secret = url.hash.replace(/^#/, '')
  if (!secret) throw new InviteError('invite has no #SECRET part (copy the whole address)')
  let decoded: string
  try {
    decoded = decodeURIComponent(secret)
  } catch {
    // A stray % ("#abc%"): the secret was cut or mistyped.
    throw new InviteError('the invite\'s #SECRET part is damaged (a stray %): copy the whole invite again')
  }
  return { server: `${url.origin}${match[1]}`, room: match[2]!, secret: decoded }
}
