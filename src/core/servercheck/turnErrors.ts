/**
 * What a STUN/TURN error code means for the user, in plain words. `afterCredentials` tells the first
 * 401 (the normal challenge that asks for them) from a 401 answering credentials we sent.
 */
export function explainTurnError(code: number, stage: 'allocate' | 'refresh' | 'permission', afterCredentials: boolean): string {
  switch (code) {
    case 300:
      return '300 try alternate: the server redirects elsewhere (ALTERNATE-SERVER)'
    case 400:
      return '400 bad request: the server could not read the request'
    case 401:
      return afterCredentials ? '401 after credentials: wrong username or password for this realm' : '401: the server wants credentials and none were configured'
    case 403:
      return stage === 'permission' ? '403 forbidden: the server refuses to relay to that peer address (denied-peer-ip)' : '403 forbidden: the server refuses this client'
    case 420:
      return '420 unknown attribute: the server does not understand a required attribute'
    case 437:
      return '437 allocation mismatch: an allocation already exists for this address (or none exists)'
    case 438:
      return '438 stale nonce: the nonce expired and the retry with a fresh one failed too'
    case 440:
      return '440 address family not supported by the server'
    case 441:
      return `441 wrong credentials on ${stage === 'permission' ? 'CreatePermission' : 'Refresh'}: the allocation's credentials do not match`
    case 442:
      return '442 unsupported transport protocol: the server does not relay this transport'
    case 443:
      return '443 peer address family mismatch'
    case 486:
      return '486 allocation quota reached: this user has too many allocations open'
    case 500:
      return '500 server error'
    case 508:
      return '508 insufficient capacity: the server has no relay ports left'
    default:
      return `${code}: error from the server`
  }
}
