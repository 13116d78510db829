// The one error type of the ARP probe: what kept it from asking, so that the command can
// map it to the contract's exit codes (invalid input: 2; anything else: 1) with a hint.

export type ArpProbeErrorKind =
  /** A bad interface name, address or namespace name: nothing was run. */
  | 'invalid-input'
  /** `arping` (or `ip`, or `tcpdump` for --watch) is not installed or not on PATH. */
  | 'missing-binary'
  /** No privilege to send raw ARP frames (root or CAP_NET_RAW), or to enter the namespace. */
  | 'permission'
  /** The interface does not exist (in this network namespace). */
  | 'no-such-interface'
  /** The network namespace does not exist. */
  | 'no-such-netns'
  /** arping failed for another reason (its stderr is in the message). */
  | 'failed';

export class ArpProbeError extends Error {
  constructor(
    readonly kind: ArpProbeErrorKind,
    message: string,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ArpProbeError';
  }
}
