// One line per command for `peerlens --help`: here, so the help loads no command (and no WebRTC stack).

export const hostUsage = `peerlens host [--listen HOST:PORT | --signal URL | --manual] [--public-url URL]
              [--stun URL]... [--turn URL]... [--turn-user U] [--turn-pass P] [--relay]
              [--no-nat] [--exclude-interface NAME]... [--exclude-address ADDR]... [--port-test PORT]... [--throughput-mb N]
              [--include-vpn] [--offline] [--report FILE] [--json] [--timeout S] [--name NAME]`

export const joinUsage = `peerlens join INVITE|OFFER-BLOB [--stun URL]... [--turn URL]... [--turn-user U] [--turn-pass P] [--relay]
              [--no-nat] [--exclude-interface NAME]... [--exclude-address ADDR]... [--include-vpn] [--offline]
              [--report FILE] [--json] [--timeout S] [--name NAME]`

export const signalUsage = `peerlens signal [--listen HOST:PORT] [--stun-alt ADDR[:PORT]] [--room-ttl S] [--rate-limit N] [--public-url URL] [--trust-proxy] [--quiet]
  A standalone signaling server (protocol v1) with a STUN responder on the same port number
  (RFC 5780 with --stun-alt: a second address, and port, to answer CHANGE-REQUEST from).`

export const showUsage = 'peerlens show REPORT.json [--md] [--html OUT.html] [--redact] [--loki URL [--loki-tenant T] [--loki-room R]]'

export const natUsage = 'peerlens nat [--stun stun:HOST:PORT] [--stun2 stun:HOST:PORT] [--family 4|6] [--json] [--timeout MS] [--lifetime]'
