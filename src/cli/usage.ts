// Usage and help of every command: here, so `peerlens --help` and `peerlens CMD --help` load no
// command (and no WebRTC stack).

export const hostUsage = `peerlens host [--listen HOST:PORT | --signal URL | --manual] [--public-url URL]
              [--stun URL]... [--turn URL]... [--turn-user U] [--turn-pass-file FILE] [--relay]
              [--no-nat] [--exclude-interface NAME]... [--exclude-address ADDR]... [--port-test PORT]... [--throughput-mb N] [--measure-seconds S]
              [--port-mapping] [--include-vpn] [--offline]
              [--report FILE] [--json] [--timeout S] [--name NAME]`

export const joinUsage = `peerlens join INVITE|OFFER-BLOB [--stun URL]... [--turn URL]... [--turn-user U] [--turn-pass-file FILE] [--relay]
              [--no-nat] [--exclude-interface NAME]... [--exclude-address ADDR]... [--port-mapping] [--include-vpn] [--offline]
              [--report FILE] [--json] [--timeout S] [--name NAME]`

export const signalUsage = `peerlens signal [--listen HOST:PORT] [--stun-alt ADDR[:PORT]] [--room-ttl S] [--rate-limit N] [--public-url URL] [--trust-proxy] [--quiet]
              [--redis redis://HOST:PORT] [--metrics-listen HOST:PORT]`

export const showUsage = 'peerlens show REPORT.json [--compare AFTER.json] [--md] [--html OUT.html] [--redact] [--loki URL [--loki-tenant T] [--loki-room R]]'

export const natUsage = `peerlens nat [--stun stun:HOST:PORT] [--stun2 stun:HOST:PORT] [--family 4|6] [--json] [--timeout MS] [--lifetime [--lifetime-max S]]
             [--no-port-mapping] [--gateway ADDR] [--no-double-nat]`

export const agentUsage = `peerlens agent --signal URL --group NAME [--name NAME] [--group-secret-file FILE] [--interval S] [--timeout S]
              [--history FILE] [--history-max-mb N] [--json] [--loki URL [--loki-tenant T]] [--metrics-listen HOST:PORT]
              [ICE options] [--no-nat] [--exclude-interface NAME]... [--exclude-address ADDR]... [--throughput-mb N] [--include-vpn] [--offline]`

export const matrixUsage = 'peerlens matrix --signal URL --group NAME [--group-secret-file FILE] [--json]'

const iceHelp = `ICE options:
  --stun URL          a STUN server (repeatable): stun:HOST:PORT or HOST:PORT; default: public RFC 5780
                      servers (docs/nat.md), or with --offline the signaling server's
  --turn URL          a TURN server (repeatable): turn:HOST:PORT[?transport=udp|tcp] or turns:HOST:PORT
  --turn-user U       TURN user name
  --turn-pass-file F  TURN password: the first line of F (or set PEERLENS_TURN_PASS; --turn-pass P works
                      too but shows the password to every user of this machine)
  --relay             relay candidates only
Session options:
  --no-nat                  skip NAT discovery
  --exclude-interface NAME  leave an interface's candidates out (repeatable; e.g. the VPN tunnel)
  --exclude-address ADDR    leave an address out (repeatable)
  --port-mapping            map the ICE port on the gateway (UPnP IGD, NAT-PMP, PCP), deleted at the end
  --include-vpn             keep VPN-like interfaces (wt*, wg*, tailscale*, 100.64.0.0/10...) in ICE
  --offline                 contact no third party: no public STUN server, only the signaling server's`

const outputHelp = (timeoutS: number): string => `  --report FILE   write the report (both sides) to FILE; checked before the session starts
  --json          JSON Lines on stdout instead of text
  --timeout S     give up after S seconds (default ${timeoutS})
  --name NAME     this side's name in the report`

const exitHelp = 'Exit codes: 0 done, 1 internal error, 2 usage or bad input, 3 no connection or no reply.'

export const hostHelp = `usage: ${hostUsage}

Opens a room, prints the invite, waits for a joiner, and tests the connection.
  --listen HOST:PORT  the embedded signaling server's address (default 0.0.0.0:8080; port 0: any free port)
  --signal URL        use a standalone signaling server (peerlens signal) at URL instead (http or https)
  --manual            no server: exchange offer and answer blobs by hand
  --public-url URL    the address joiners use when it is not the listen address (reverse proxy; http or https)
${iceHelp}
  --port-test PORT          UDP port test outside WebRTC (repeatable; e.g. 51820)
  --throughput-mb N         megabytes each way per path (default 16, 0 or off turns it off)
  --measure-seconds S       time for the whole throughput and UDP rate measurement, both paths both ways (default 8.5)
${outputHelp(600)}
${exitHelp}
`

export const joinHelp = `usage: ${joinUsage}

Joins the room an invite names (or answers an offer blob) and tests the connection.
${iceHelp}
${outputHelp(60)}
${exitHelp}
`

export const signalHelp = `usage: ${signalUsage}

A standalone signaling server (protocol v1) with a STUN responder on the same port number.
  --listen HOST:PORT  address to listen on (default 0.0.0.0:8080; port 0: any free port)
  --stun-alt ADDR[:PORT]  a second address (and port) of this machine: the STUN responder answers
                      RFC 5780 CHANGE-REQUEST from it (needs --listen with a specific address)
  --room-ttl S        how long an unused room lives, in seconds (default 600)
  --rate-limit N      requests per second per client address (0 turns it off)
  --public-url URL    the public address behind a reverse proxy (http or https): it answers to that name only
  --trust-proxy       take the client address from X-Forwarded-For (only behind a reverse proxy)
  --redis URL         keep rooms in Redis (redis://HOST:PORT): any number of instances serve the same rooms
  --metrics-listen HOST:PORT  serve Prometheus metrics at /metrics there
  --quiet             no request log
${exitHelp}
`

export const natHelp = `usage: ${natUsage}

Finds the NAT's mapping and filtering behaviour (RFC 5780) and its classic (RFC 3489) type.
  --stun      an RFC 5780 STUN server (two addresses, OTHER-ADDRESS); HOST:PORT works too.
              Without it, a built-in list of public RFC 5780 servers is asked.
  --stun2     a second STUN server: with a server lacking RFC 5780, mappings toward both are compared
  --family    4 (default) or 6
  --json      print the result as JSON
  --timeout   longest wait for a first answer, in ms (default 2000)
  --lifetime  also measure how long the NAT keeps an idle mapping (takes --lifetime-max seconds)
  --lifetime-max  longest idle time tried, in seconds (default 120)
  --no-port-mapping  do not ask the gateway whether it offers UPnP IGD, NAT-PMP or PCP
                     (asked by default: read-only questions, nothing is mapped)
  --gateway   the gateway to ask about port mapping (default: the IPv4 default route's)
  --no-double-nat  do not look for a second NAT (tracepath toward the STUN server, a few hops)
Exit status: 0 done, 2 bad usage, 3 no server answered.
`

export const showHelp = `usage: ${showUsage}

Renders a saved report. Without options it prints a summary.
  --md            print a short Markdown summary (for a ticket) instead
  --html OUT      write the whole report as one self-contained HTML file (and print the summary)
  --redact        replace public IP addresses with stand-ins (the same address, the same stand-in)
  --compare AFTER.json  compare REPORT.json (before) with AFTER.json: verdict, prediction, NAT types,
                  candidates by type, path metrics, findings that appeared or went away (--md, --html OUT too)
  --loki URL      push the timeline to Grafana Loki (URL of Loki, or of /loki/api/v1/push)
  --loki-tenant T X-Scope-OrgID header;  --loki-room R  room label (default: the report's room)
Exit codes: 0 done, 2 unreadable, corrupt or unsupported report, 3 Loki did not take the push.
`

const groupHelp = `  --signal URL        the signaling server holding the group directory (peerlens signal)
  --group NAME        the group (1 to 64 letters, digits, ".", "_", "-")
  --group-secret-file FILE  the group secret: the first line of FILE (or set PEERLENS_GROUP_SECRET);
                      never an argument, so it stays out of the process list`

export const agentHelp = `usage: ${agentUsage}

Runs until stopped (Ctrl-C, SIGTERM): joins a group of agents through the signaling server and tests
every pair it belongs to (on start, every --interval, when a peer appears or this machine's network
changes), keeps the results as history, and prints flips (a pair whose path, NAT type or public
address changed) with their likely cause. docs/agents.md.
${groupHelp}
  --name NAME         this agent's name in the group (default: the host name)
  --interval S        seconds between tests of each pair (default 900)
  --timeout S         longest test, in seconds (default 60)
  --history FILE      JSON Lines history (default: in the user's data folder)
  --history-max-mb N  past N MB the oldest half of the history goes (default 8)
  --json              JSON Lines on stdout: registered, members, pair, flip, warning, ...
  --loki URL          push flips to Grafana Loki;  --loki-tenant T  X-Scope-OrgID
  --metrics-listen HOST:PORT  serve Prometheus metrics at /metrics there
${iceHelp}
  --throughput-mb N         megabytes each way per path (default 0 for agents: off)
${exitHelp}
`

export const matrixHelp = `usage: ${matrixUsage}

Prints the latest verdict of every pair of a group of agents, as they published it.
${groupHelp}
  --json              {"peers":[...],"pairs":[{"a","b","verdict","at","rttMs","reason"}]}
${exitHelp}
`

/** `peerlens CMD --help`. */
export const commandHelp: Record<string, string> = { host: hostHelp, join: joinHelp, signal: signalHelp, nat: natHelp, show: showHelp, agent: agentHelp, matrix: matrixHelp }

/** Is help asked for? `--help` or `-h` anywhere before `--`. */
export function wantsHelp(argv: string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false
    if (arg === '--help' || arg === '-h') return true
  }
  return false
}
