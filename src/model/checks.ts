// The check families of the contract (design/product.md): `diagnose CHECK` and the first
// part of every finding code. Named here so commands can list them without loading analyzers.
export const CHECKS = [
  'source-ip',
  'affinity',
  'endpoints',
  'lb',
  'nodeport',
  'hostnetwork',
  'ingress',
  'gateway',
  'arp',
  'bgp',
  'reach',
  'input',
  'dns',
  'lan',
] as const;
export type Check = (typeof CHECKS)[number];
