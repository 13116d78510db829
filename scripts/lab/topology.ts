// The lab's fixed shape (see docs/lab.md): names of its network namespaces, addresses,
// BGP numbers. Pure: no I/O, so the unit tests pin it.
import { createHash } from 'node:crypto';

/** Documentation ASNs (RFC 5398): the router and the nodes' MetalLB speakers. */
export const ROUTER_ASN = 64496;
export const NODE_ASN = 64497;

/** One L2 segment, 192.0.2.0/24 (TEST-NET-1), as cluster:up names the nodes' InternalIPs. */
export const SEGMENT = { cidr: '192.0.2.0/24', prefix: 24 };
export const ROUTER = { role: 'router', ip: '192.0.2.1', mac: '02:00:5e:00:02:01' };
export const CLIENT = { role: 'client', ip: '192.0.2.10', mac: '02:00:5e:00:02:10' };

export interface LabNode {
  name: string;
  ip: string;
  mac: string;
  /** spec.podCIDR of the Node object cluster:up creates. */
  podCIDR: string;
  /** The node's own address in its Pod network (on lo: the source of traffic it masquerades to its own Pods). */
  podGateway: string;
}

export const NODES: LabNode[] = [1, 2, 3].map((i) => ({
  name: `node-${i}`,
  ip: `192.0.2.1${i}`,
  mac: `02:00:5e:00:02:1${i}`,
  podCIDR: `10.244.${i}.0/24`,
  podGateway: `10.244.${i}.1`,
}));

/** Every Pod's default gateway: a link-local next hop the node answers by proxy ARP (no address per veth). */
export const POD_LINK_GATEWAY = '169.254.1.1';
export const CLUSTER_CIDR = '10.244.0.0/16';

/** Address pools lab:up offers MetalLB: L2 on the segment's neighbour range, BGP routed by the router. */
export const L2_POOL = '198.51.100.0/24';
export const BGP_POOL = '203.0.113.0/24';

/** Where the API server is reachable inside every lab namespace that needs it (a relay to the host's loopback). */
export const API_IN_NAMESPACE = { host: '127.0.0.1', port: 6443 };

/** Pods with this label are run by the lab's kubelet (kwok leaves their status alone). */
export const LAB_KUBELET_LABEL = { key: 'exposectl.dev/lab-kubelet', value: 'true' };

/** A short, stable id of a lab folder: the same DIR always gives the same namespace names, so lab:down finds them after a crash. */
export function labId(dir: string): string {
  return createHash('sha256').update(dir).digest('hex').slice(0, 6);
}

export function nsPrefix(id: string): string {
  return `xlab-${id}-`;
}

/** Network namespace of a lab role: seg (the bridge), router, client, node-1..3, or pod-<namespace>.<name>. */
export function nsName(id: string, role: string): string {
  return `${nsPrefix(id)}${role}`;
}

export function podRole(namespace: string, name: string): string {
  return `pod-${namespace}.${name}`;
}

/** Host-side veth name of a Pod (interface names are at most 15 bytes): stable per Pod. */
export function podVethName(namespace: string, name: string): string {
  return `lv${createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, 10)}`;
}

/**
 * The next free Pod address of a node: 10.244.<n>.2 .. .254, skipping those in use.
 * Returns undefined when the node's /24 is full.
 */
export function nextPodIp(node: LabNode, inUse: ReadonlySet<string>): string | undefined {
  const base = node.podCIDR.split('.').slice(0, 3).join('.');
  for (let host = 2; host <= 254; host++) {
    const ip = `${base}.${host}`;
    if (!inUse.has(ip)) return ip;
  }
  return undefined;
}

export function nodeByName(name: string): LabNode | undefined {
  return NODES.find((n) => n.name === name);
}

/** Routes of a node: every other node's Pod CIDR through that node. */
export function podRoutes(self: LabNode): Array<{ cidr: string; via: string }> {
  return NODES.filter((n) => n.name !== self.name).map((n) => ({ cidr: n.podCIDR, via: n.ip }));
}

/** BIRD 2 configuration of the router: one BGP session per node speaker, learned routes into the kernel (ECMP). */
export function birdConfig(): string {
  const peers = NODES.map(
    (n) => `
protocol bgp ${n.name.replace('-', '_')} {
  local ${ROUTER.ip} as ${ROUTER_ASN};
  neighbor ${n.ip} as ${NODE_ASN};
  hold time 9;
  ipv4 { import all; export none; };
}`,
  ).join('\n');
  return `# written by lab:up: the top-of-rack router of the exposectl lab
router id ${ROUTER.ip};
protocol device { scan time 2; }
protocol kernel {
  merge paths on;
  ipv4 { import none; export all; };
}
${peers}
`;
}
