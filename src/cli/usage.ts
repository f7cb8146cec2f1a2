// One line per command for `peerlens --help`: here, so the help loads no command (and no WebRTC stack).

export const hostUsage = `peerlens host [--listen HOST:PORT | --signal URL | --manual] [--public-url URL]
              [--stun URL]... [--turn URL]... [--turn-user U] [--turn-pass P] [--relay]
              [--no-nat] [--exclude-interface NAME]... [--exclude-address ADDR]... [--port-test PORT]... [--throughput-mb N]
              [--report FILE] [--json] [--timeout S] [--name NAME]`

export const joinUsage = `peerlens join INVITE|OFFER-BLOB [--stun URL]... [--turn URL]... [--turn-user U] [--turn-pass P] [--relay]
              [--no-nat] [--exclude-interface NAME]... [--exclude-address ADDR]...
              [--report FILE] [--json] [--timeout S] [--name NAME]`

export const signalUsage = `peerlens signal [--listen HOST:PORT] [--room-ttl S] [--rate-limit N] [--public-url URL] [--trust-proxy] [--quiet]
              [--redis redis://HOST:PORT] [--metrics-listen HOST:PORT]
  A standalone signaling server (protocol v1) with a STUN responder on the same port number;
  with --redis, rooms live in Redis and any number of instances serve them.`

export const showUsage = 'peerlens show REPORT.json [--md] [--html OUT.html] [--redact] [--loki URL [--loki-tenant T] [--loki-room R]]'

export const natUsage = 'peerlens nat [--stun stun:HOST:PORT] [--stun2 stun:HOST:PORT] [--family 4|6] [--json] [--timeout MS] [--lifetime]'
