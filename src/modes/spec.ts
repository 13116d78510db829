// What `expose` is asked to do (ExposeSpec), what the cluster already holds that the
// pre-flight checks need (ExposeFacts), and what a failed check says (Problem).
// Everything in src/modes is pure: no I/O, no clock, no randomness.
import type { KubeObject } from '../model/kube-object.js';
import type { Custom, IngressClass, Node, SecretRef, Service, Workload } from '../model/snapshot.js';

/** The modes `expose` can generate (a subset of the discovery modes in model/exposure.ts). */
export const EXPOSE_MODES = ['nodeport', 'ingress', 'l2', 'bgp', 'hostnetwork', 'gateway'] as const;
export type ExposeMode = (typeof EXPOSE_MODES)[number];

export function isExposeMode(value: string): value is ExposeMode {
  return (EXPOSE_MODES as readonly string[]).includes(value);
}

export type GatewayImpl = 'haproxy' | 'nginx';

/** A label selector as MetalLB and nodeSelector fields take it: equality only. */
export type Labels = Record<string, string>;

export interface ExposeSpec {
  /** The user's Service, as read from the cluster or a file. Never mutated. */
  service: Service;
  mode: ExposeMode;

  /** Which Service port to publish (number or name) when the Service has several (nodeport, ingress, gateway). */
  port?: number | string;

  // nodeport
  /** Fixed nodePort (checked against the range and existing allocations). */
  nodePort?: number;

  // ingress (host is also used by gateway)
  host?: string;
  /** Ingress path (default `/`, pathType Prefix). */
  path?: string;
  ingressClass?: string;
  /** TLS Secret for the Ingress, or the certificate of an HTTPS listener in gateway mode. */
  tlsSecret?: string;

  // l2 and bgp (MetalLB)
  /** Reuse this existing IPAddressPool (in metallb-system). */
  pool?: string;
  /** Create a pool from these ranges (`a-b`) or CIDRs. */
  addresses?: string[];
  /** A specific address for the LoadBalancer Service. */
  ip?: string;
  /** L2Advertisement interfaces. */
  interfaces?: string[];
  /** L2Advertisement/BGPAdvertisement node selectors (each one an equality selector). */
  nodeSelectors?: Labels[];
  /** BGP peer address, its ASN and ours. */
  peer?: string;
  peerASN?: number;
  myASN?: number;
  /** BGP communities: `65000:100` or `large:1:2:3`. */
  communities?: string[];
  localPref?: number;
  aggregationLength?: number;
  /** MetalLB sharing key (`metallb.io/allow-shared-ip`). */
  shareIP?: string;

  // hostnetwork
  /** Nodes that run the hostNetwork gateway. */
  nodeSelector?: Labels;
  gatewayImpl?: GatewayImpl;
  /** Image of the hostNetwork gateway (default haproxy:3.2 / nginx:1.29). */
  gatewayImage?: string;
  /** DNS names external-dns publishes for the gateway's nodes (the hostname annotation on its Pods). */
  hostnames?: string[];

  // gateway (Gateway API)
  /** Reuse this existing Gateway (`name` or `namespace/name`). */
  gateway?: string;
  /** GatewayClass of a new Gateway (default: the only class in the cluster). */
  gatewayClass?: string;
  /** Service ports (number or name) to route as HTTP even if name/appProtocol do not say so. */
  httpPorts?: Array<number | string>;

  // every mode
  preserveSourceIP?: boolean;
  sticky?: boolean;
  /** sessionAffinityConfig.clientIP.timeoutSeconds (default 10800, at most 86400). */
  stickyTimeout?: number;
  /** Patch the user's Service (server-side apply of the fields exposectl owns) instead of creating a new one. */
  inPlace?: boolean;
}

/** The options alone, before the Service is read: what expose checks before any request. */
export type ExposeOptions = Omit<ExposeSpec, 'service'>;

/**
 * A small typed view of what the cluster already holds. A field left undefined means
 * "not known" (for example `--dry-run=client -f svc.yaml` without a cluster): the
 * checks that need it are skipped and a note says so. An empty array means "known: none".
 */
export interface ExposeFacts {
  services?: Service[];
  nodes?: Node[];
  ingressClasses?: IngressClass[];
  secrets?: SecretRef[];
  gatewayClasses?: Custom[];
  gateways?: Custom[];
  /** MetalLB IPAddressPools (any namespace; MetalLB reads metallb-system). */
  pools?: Custom[];
  l2Advertisements?: Custom[];
  bgpAdvertisements?: Custom[];
  bgpPeers?: Custom[];
  /** DaemonSets, Deployments, StatefulSets with hostNetwork or hostPort. */
  hostWorkloads?: Workload[];
  /** Calico's BGP (mode bgp goes through Calico when it runs and MetalLB has no pool). */
  calico?: CalicoFacts;
  /**
   * API versions the cluster serves, by kind (from API discovery), e.g.
   * `{ TCPRoute: ['v1', 'v1alpha2'] }`. Unknown: the newest (v1) is assumed.
   */
  servedVersions?: Record<string, string[]>;
  /** The API server's --service-node-port-range (default 30000-32767). */
  nodePortRange?: { min: number; max: number };
}

export const DEFAULT_NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;
export const DEFAULT_STICKY_TIMEOUT = 10800;
export const MAX_STICKY_TIMEOUT = 86400;
export const METALLB_NAMESPACE = 'metallb-system';
export const DEFAULT_IMAGES: Record<GatewayImpl, string> = { haproxy: 'haproxy:3.2', nginx: 'nginx:1.29' };

/** A failed pre-flight check. `field` names the ExposeSpec option at fault. */
export interface Problem {
  field: string;
  message: string;
  /** The finding code of product.md this problem corresponds to, when there is one. */
  code?: string;
}

/** The result of planning an exposure. */
export interface ExposePlan {
  problems: Problem[];
  /** Empty whenever there are problems: nothing may be written. */
  manifests: KubeObject[];
  /** Facts worth telling the user that do not stop the exposure (mixed protocols, unchecked facts, ...). */
  notes: string[];
}

/**
 * The command-line flag of each ExposeSpec option (issue 4's names), so the command can
 * print a Problem's `field` as the flag the user typed.
 */
export const OPTION_FLAGS: Record<Exclude<keyof ExposeSpec, 'service' | 'mode'>, string> = {
  port: '--port',
  nodePort: '--node-port',
  host: '--host',
  path: '--path',
  ingressClass: '--ingress-class',
  tlsSecret: '--tls-secret',
  pool: '--pool',
  addresses: '--addresses',
  ip: '--ip',
  interfaces: '--interfaces',
  nodeSelectors: '--advertise-node-selector',
  peer: '--peer',
  peerASN: '--peer-asn',
  myASN: '--my-asn',
  communities: '--communities',
  localPref: '--local-pref',
  aggregationLength: '--aggregation-length',
  shareIP: '--share-ip',
  nodeSelector: '--node-selector',
  gatewayImpl: '--gateway-impl',
  gatewayImage: '--gateway-image',
  hostnames: '--hostname',
  gateway: '--gateway',
  gatewayClass: '--gateway-class',
  httpPorts: '--http-ports',
  preserveSourceIP: '--preserve-source-ip',
  sticky: '--sticky',
  stickyTimeout: '--sticky-timeout',
  inPlace: '--in-place',
};

/** The flag for a Problem field (`service`, `mode`, `force` and unknown fields come back as they are). */
export function flagOf(field: string): string {
  return (OPTION_FLAGS as Record<string, string>)[field] ?? (field === 'force' ? '--force' : field);
}

/** Calico's BGP as expose sees it (src/modes/calico.ts). */
export interface CalicoFacts {
  /** calico-node runs the bird backend, or Calico's BGP objects exist. */
  running: boolean;
  bgpConfigurations: Custom[];
  ipPools: Custom[];
}
