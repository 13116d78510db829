// The MODE OPTIONS of `exposectl expose`: the flags that only some modes read (each summary
// names them). Apart from the command so that expose.ts stays a page; spread last, so
// --help lists them after the common options, in this order.
import { Flags } from '@oclif/core';

const MODE_GROUP = 'MODE OPTIONS';

export const exposeModeFlags = {
  port: Flags.string({
    summary: 'The Service port to publish (number or name) when it has several.',
    helpGroup: MODE_GROUP,
  }),
  'node-port': Flags.integer({ summary: 'nodeport: a fixed node port.', helpGroup: MODE_GROUP }),
  host: Flags.string({ summary: 'ingress, gateway: the host name to route.', helpGroup: MODE_GROUP }),
  path: Flags.string({ summary: 'ingress: the path prefix (default /).', helpGroup: MODE_GROUP }),
  'ingress-class': Flags.string({
    summary: 'ingress: the IngressClass (default: the default class).',
    helpGroup: MODE_GROUP,
  }),
  'tls-secret': Flags.string({ summary: 'ingress, gateway: the TLS Secret.', helpGroup: MODE_GROUP }),
  pool: Flags.string({ summary: 'l2, bgp: reuse this MetalLB IPAddressPool.', helpGroup: MODE_GROUP }),
  addresses: Flags.string({
    summary: 'l2, bgp: create a pool from these ranges (a-b) or CIDRs.',
    multiple: true,
    helpGroup: MODE_GROUP,
  }),
  ip: Flags.string({ summary: 'l2, bgp: this exact address.', helpGroup: MODE_GROUP }),
  interfaces: Flags.string({
    summary: 'l2: announce only on these interfaces.',
    multiple: true,
    helpGroup: MODE_GROUP,
  }),
  'advertise-node-selector': Flags.string({
    summary: 'l2, bgp: announce only from nodes with these labels (key=value,...).',
    multiple: true,
    helpGroup: MODE_GROUP,
  }),
  peer: Flags.string({ summary: 'bgp: the router address.', helpGroup: MODE_GROUP }),
  'peer-asn': Flags.integer({ summary: "bgp: the router's AS number.", helpGroup: MODE_GROUP }),
  'my-asn': Flags.integer({ summary: "bgp: the cluster's AS number.", helpGroup: MODE_GROUP }),
  communities: Flags.string({
    summary: 'bgp: communities (65000:100 or large:1:2:3).',
    multiple: true,
    helpGroup: MODE_GROUP,
  }),
  'local-pref': Flags.integer({ summary: 'bgp: LOCAL_PREF of the announcement.', helpGroup: MODE_GROUP }),
  'aggregation-length': Flags.integer({
    summary: 'bgp: announce an aggregate of this prefix length.',
    helpGroup: MODE_GROUP,
  }),
  'share-ip': Flags.string({
    summary: 'l2, bgp: share the address with Services of the same key (TCP+UDP on one IP).',
    helpGroup: MODE_GROUP,
  }),
  'node-selector': Flags.string({
    summary: 'hostnetwork: the nodes that run the gateway (key=value,...).',
    multiple: true,
    helpGroup: MODE_GROUP,
  }),
  'gateway-impl': Flags.string({
    summary: 'hostnetwork: the proxy.',
    options: ['haproxy', 'nginx'],
    helpGroup: MODE_GROUP,
  }),
  'gateway-image': Flags.string({ summary: 'hostnetwork: the proxy image.', helpGroup: MODE_GROUP }),
  hostname: Flags.string({
    summary: "hostnetwork: DNS names external-dns publishes for the gateway's nodes (NAME,...).",
    multiple: true,
    helpGroup: MODE_GROUP,
  }),
  gateway: Flags.string({
    summary: 'gateway: attach to this existing Gateway (NAME or NAMESPACE/NAME).',
    helpGroup: MODE_GROUP,
  }),
  'gateway-class': Flags.string({ summary: 'gateway: the GatewayClass of a new Gateway.', helpGroup: MODE_GROUP }),
  'http-ports': Flags.string({ summary: 'gateway: ports to route as HTTP.', multiple: true, helpGroup: MODE_GROUP }),
};
