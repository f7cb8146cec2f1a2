export interface InterfaceAddressInfo {
  name: string
  address: string
  family: 4 | 6
  internal: boolean
  /** Names WireGuard meshes and other VPNs use: a candidate there hides the real path. */
  vpnLike: boolean
}
