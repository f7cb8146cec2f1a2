// Why a server could not listen, in words with what to try, instead of Node's "listen EADDRINUSE:
// address already in use 127.0.0.1:8080". The CLI (host --listen, signal --listen) and the app say it.

/** A host as it goes in HOST:PORT (brackets around IPv6). */
function hostPort(host: string, port: number | string): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`
}

export function listenErrorText(host: string, port: number, err: unknown): string {
  const e = err as NodeJS.ErrnoException
  const where = `cannot listen on ${hostPort(host, port)}`
  switch (e.code) {
    case 'EADDRINUSE':
      return `${where}: another program is using port ${port} there (--listen ${hostPort(host, 0)} picks any free port)`
    case 'EADDRNOTAVAIL':
      return `${where}: ${host} is not an address of this machine (--listen 0.0.0.0:${port} listens on all of them; HOST:0 picks any free port)`
    case 'EACCES':
    case 'EPERM':
      return `${where}: ports below 1024 need root or CAP_NET_BIND_SERVICE (--listen ${hostPort(host, 0)} picks any free port)`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${where}: ${host} is not a known host name (give an address of this machine, or 0.0.0.0)`
    case 'EAFNOSUPPORT':
      return `${where}: this machine has no ${host.includes(':') ? 'IPv6' : 'IPv4'}`
    default:
      return `${where}: ${(e?.message ?? String(err)).split('\n')[0]}`
  }
}
