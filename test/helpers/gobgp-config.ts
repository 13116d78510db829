// gobgpd's TOML configuration, built in one place for the network tests, the lab's router
// test and the BGP benchmark (each peers GoBGP with something different).

export interface GoBgpNeighbor {
  address: string;
  peerAs: number;
  localAddress: string;
  /** The peer's port when it is not 179 (the probe listens on a non-privileged port). */
  remotePort?: number;
  /** Configured but not started (the benchmark enables each peer in turn). */
  adminDown?: boolean;
  holdTime?: number;
  keepaliveInterval?: number;
  /** Seconds GoBGP waits in Idle after a session reset before it connects again (its default is 30). */
  idleHoldTimeAfterReset?: number;
  /** Address families to negotiate; GoBGP's default (ipv4-unicast) when absent. */
  afiSafis?: Array<'ipv4-unicast' | 'ipv6-unicast'>;
}

export interface GoBgpConfig {
  asn: number;
  routerId: string;
  neighbors: GoBgpNeighbor[];
}

/** `port = -1`: gobgpd never listens, it only connects out to its neighbors. */
export function goBgpConfig(config: GoBgpConfig): string {
  const lines = ['[global.config]', `  as = ${config.asn}`, `  router-id = "${config.routerId}"`, '  port = -1'];
  for (const n of config.neighbors) {
    lines.push(
      '[[neighbors]]',
      '  [neighbors.config]',
      `    neighbor-address = "${n.address}"`,
      `    peer-as = ${n.peerAs}`,
    );
    if (n.adminDown) lines.push('    admin-down = true');
    lines.push('  [neighbors.transport.config]');
    if (n.remotePort !== undefined) lines.push(`    remote-port = ${n.remotePort}`);
    lines.push(`    local-address = "${n.localAddress}"`, '  [neighbors.timers.config]', '    connect-retry = 1');
    if (n.holdTime !== undefined) lines.push(`    hold-time = ${n.holdTime}`);
    if (n.keepaliveInterval !== undefined) lines.push(`    keepalive-interval = ${n.keepaliveInterval}`);
    if (n.idleHoldTimeAfterReset !== undefined)
      lines.push(`    idle-hold-time-after-reset = ${n.idleHoldTimeAfterReset}`);
    for (const family of n.afiSafis ?? []) {
      lines.push('  [[neighbors.afi-safis]]', '    [neighbors.afi-safis.config]', `      afi-safi-name = "${family}"`);
    }
  }
  return `${lines.join('\n')}\n`;
}
