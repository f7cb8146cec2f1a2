// TLS failures toward a TURN server (turns:, TURN over TLS on 443 in corporate networks) in words:
// what went wrong and what to do, instead of OpenSSL's codes. Pure: test/core/servercheck/tlsErrors.test.ts.

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE'
])

/** One line: why the TLS connection to host:port failed, and what would fix it. */
export function explainTlsError(err: { code?: string; message: string }, host: string, port: number): string {
  const code = err.code ?? ''
  const where = `${host}:${port}`
  if (UNTRUSTED.has(code)) {
    return `TLS to ${where}: the server's certificate is not trusted here (${code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN' ? 'self-signed' : 'issued by a CA this machine does not know'}): install its CA, or point NODE_EXTRA_CA_CERTS at it`
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = /.*altnames: (.*)$/.exec(err.message)?.[1]
    return `TLS to ${where}: the certificate is for another name${names ? ` (${names.replace(/"/g, '')})` : ''}: use the name on the certificate in the turns: URL`
  }
  if (code === 'CERT_HAS_EXPIRED') return `TLS to ${where}: the server's certificate has expired`
  if (code === 'CERT_NOT_YET_VALID') return `TLS to ${where}: the server's certificate is not valid yet (check this machine's clock)`
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(err.message)) {
    return `TLS to ${where}: the handshake was refused: the port does not speak TLS (a plain TURN or another service listens there; try turn:${where}?transport=tcp)`
  }
  if (code === 'ECONNRESET' || /socket disconnected before secure TLS/i.test(err.message)) {
    return `TLS to ${where}: the handshake was refused: the connection was closed before TLS was set up (a firewall or proxy that inspects TLS, or a server without TLS on this port)`
  }
  if (/handshake failure|alert/i.test(err.message)) return `TLS to ${where}: the handshake was refused by the server (${err.message.replace(/^.*?:(?=[^:]*$)/, '').trim() || code})`
  return `TLS to ${where} failed: ${err.message}${code && !err.message.includes(code) ? ` (${code})` : ''}`
}
