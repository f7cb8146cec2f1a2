// NAT behaviour discovery (RFC 5780, with the RFC 3489 label beside it): the result shape the CLI,
// the report (`sides[].nat`, `sides[].nat6`) and the UI share, inferred from the report schema
// (src/shared/reportSchema/nat.ts, which says what each field means). docs/nat.md is the prose version.
import type { Static } from './schema/builder'
import type * as Nat from './reportSchema/nat'

export type NatEndpoint = Static<typeof Nat.NatEndpoint>
export type NatFamily = Static<typeof Nat.NatFamily>
/** RFC 5780 section 4.3. "none": the mapped address is one of our own addresses (no NAT). "unknown" always comes with a `reason`. */
export type NatMapping = Static<typeof Nat.NatMapping>
/** RFC 5780 section 4.4. */
export type NatFiltering = Static<typeof Nat.NatFiltering>
/** The RFC 3489 vocabulary most tools (and most users) still speak. */
export type NatClassic = Static<typeof Nat.NatClassic>
/** How the verdict was reached. */
export type NatMethod = Static<typeof Nat.NatMethod>
/** What the server's port told us when UDP stayed silent. */
export type NatServerReach = Static<typeof Nat.NatServerReach>
export type NatTestName = Static<typeof Nat.NatTestName>
export type NatTest = Static<typeof Nat.NatTest>
export type NatResult = Static<typeof Nat.NatResult>
export type NatLifetime = Static<typeof Nat.NatLifetime>
export type PortMappingResult = Static<typeof Nat.PortMappingResult>
export type DoubleNatResult = Static<typeof Nat.DoubleNatResult>

/** Progress while discovery runs: shown by the CLI and the UI. */
export type NatProgress =
  | { kind: 'server'; server: NatEndpoint; host: string }
  | { kind: 'test-start'; name: NatTestName; target: NatEndpoint }
  | { kind: 'test-done'; test: NatTest }
