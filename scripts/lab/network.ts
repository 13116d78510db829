// The lab's network namespaces: one L2 segment (a bridge in namespace "seg"), the router,
// the client and the three nodes on it, addresses and routes as docs/lab.md draws them.
// Pod namespaces are the lab kubelet's (scripts/lab/kubelet.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ipIn, killAll, listNamespaces, pidsIn, run, startDetached, sysctlIn, tail, waitFor } from './host.ts';
import {
  BGP_POOL,
  birdConfig,
  CLIENT,
  CLUSTER_CIDR,
  L2_POOL,
  NODES,
  nsName,
  nsPrefix,
  POD_LINK_GATEWAY,
  podRoutes,
  ROUTER,
  SEGMENT,
} from './topology.ts';

const FORWARDING = { 'net.ipv4.ip_forward': 1, 'net.ipv4.conf.all.rp_filter': 0, 'net.ipv4.conf.default.rp_filter': 0 };

/** Where `ip netns exec` finds a namespace's own /etc files. */
export function etcNetns(ns: string): string {
  return path.join('/etc/netns', ns);
}

/** The lab's cluster DNS in every node namespace. */
export const LAB_DNS = { host: '127.0.0.1', port: 53 };

export function createNetwork(id: string): void {
  const seg = nsName(id, 'seg');
  run('ip', ['netns', 'add', seg]);
  ipIn(seg, ['link', 'add', 'br0', 'type', 'bridge']);
  ipIn(seg, ['link', 'set', 'br0', 'up']);
  const hosts = [ROUTER, CLIENT, ...NODES.map((n) => ({ role: n.name, ip: n.ip, mac: n.mac }))];
  hosts.forEach((h, i) => {
    const ns = nsName(id, h.role);
    run('ip', ['netns', 'add', ns]);
    const tmp = `xl${id}${i}`;
    run('ip', ['link', 'add', tmp, 'netns', ns, 'type', 'veth', 'peer', 'name', `port${i}`, 'netns', seg]);
    ipIn(ns, ['link', 'set', tmp, 'name', 'eth0']);
    ipIn(ns, ['link', 'set', 'eth0', 'address', h.mac]);
    ipIn(seg, ['link', 'set', `port${i}`, 'master', 'br0', 'up']);
    ipIn(ns, ['link', 'set', 'lo', 'up']);
    ipIn(ns, ['link', 'set', 'eth0', 'up']);
    ipIn(ns, ['addr', 'add', `${h.ip}/${SEGMENT.prefix}`, 'dev', 'eth0']);
  });

  // The router forwards between the client and the nodes' Pod networks and BGP-announced addresses.
  const router = nsName(id, ROUTER.role);
  sysctlIn(router, FORWARDING);
  for (const n of NODES) ipIn(router, ['route', 'add', n.podCIDR, 'via', n.ip]);

  // The client: L2 addresses on the segment (it ARPs for them), BGP addresses and Pods through the router; no default route.
  const client = nsName(id, CLIENT.role);
  ipIn(client, ['route', 'add', L2_POOL, 'dev', 'eth0']);
  ipIn(client, ['route', 'add', BGP_POOL, 'via', ROUTER.ip]);
  ipIn(client, ['route', 'add', CLUSTER_CIDR, 'via', ROUTER.ip]);

  for (const n of NODES) {
    const ns = nsName(id, n.name);
    // `ip netns exec` bind-mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf: the node's
    // processes ask the lab's cluster DNS (scripts/lab/dns.ts) on the node's own loopback.
    fs.mkdirSync(etcNetns(ns), { recursive: true });
    fs.writeFileSync(
      path.join(etcNetns(ns), 'resolv.conf'),
      `nameserver ${LAB_DNS.host}\nsearch svc.cluster.local cluster.local\noptions ndots:5 timeout:1 attempts:2\n`,
    );
    sysctlIn(ns, FORWARDING);
    // The node's own address in its Pod network: the source of what it masquerades towards its own Pods.
    ipIn(ns, ['addr', 'add', `${n.podGateway}/32`, 'dev', 'lo']);
    for (const r of podRoutes(n)) ipIn(ns, ['route', 'add', r.cidr, 'via', r.via]);
    ipIn(ns, ['route', 'add', 'default', 'via', ROUTER.ip]);
  }
}

/** BIRD 2 in the router namespace (config, control socket and log in stateDir); returns the control socket. */
export async function startRouter(id: string, stateDir: string): Promise<string> {
  const conf = path.join(stateDir, 'bird.conf');
  const sock = path.join(stateDir, 'bird.ctl');
  const logFile = path.join(stateDir, 'logs', 'bird.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(conf, birdConfig());
  startDetached(nsName(id, ROUTER.role), 'bird', ['-f', '-c', conf, '-s', sock], logFile);
  await waitFor(
    'BIRD control socket',
    () => run('birdc', ['-s', sock, 'show', 'status'], { allowFailure: true }).includes('Daemon is up'),
    15_000,
    () => tail(logFile),
  );
  return sock;
}

export interface PodLink {
  nodeNs: string;
  podNs: string;
  veth?: string;
}

/**
 * A Pod's namespace behind its node: eth0 with the Pod's /32 and a default route via the
 * link-local gateway, which the node answers by proxy ARP on the Pod's veth; the node routes
 * the /32 to that veth. Leftovers of an earlier Pod of the same name (a crash) go first.
 */
export function createPodNetwork(p: Required<PodLink> & { ip: string }): void {
  deletePodNetwork(p);
  run('ip', ['netns', 'add', p.podNs]);
  run('ip', ['link', 'add', p.veth, 'netns', p.nodeNs, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', p.podNs]);
  ipIn(p.podNs, ['link', 'set', 'lo', 'up']);
  ipIn(p.podNs, ['link', 'set', 'eth0', 'up']);
  ipIn(p.podNs, ['addr', 'add', `${p.ip}/32`, 'dev', 'eth0']);
  ipIn(p.podNs, ['route', 'add', POD_LINK_GATEWAY, 'dev', 'eth0', 'scope', 'link']);
  ipIn(p.podNs, ['route', 'add', 'default', 'via', POD_LINK_GATEWAY, 'dev', 'eth0']);
  ipIn(p.nodeNs, ['link', 'set', p.veth, 'up']);
  sysctlIn(p.nodeNs, { [`net.ipv4.conf.${p.veth}.proxy_arp`]: 1 });
  ipIn(p.nodeNs, ['route', 'add', `${p.ip}/32`, 'dev', p.veth, 'scope', 'link']);
}

export function deletePodNetwork(p: PodLink): void {
  run('ip', ['netns', 'del', p.podNs], { allowFailure: true });
  if (p.veth) run('ip', ['-n', p.nodeNs, 'link', 'del', p.veth], { allowFailure: true });
}

/** The lab's namespaces that exist now: Pods first, the segment last (the order to delete them). */
export function labNamespaces(id: string): string[] {
  const prefix = nsPrefix(id);
  const mine = listNamespaces().filter((n) => n.startsWith(prefix));
  const rank = (n: string): number => (n.startsWith(`${prefix}pod-`) ? 0 : n === `${prefix}seg` ? 2 : 1);
  return mine.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Stops every process inside the lab's namespaces and deletes them. Returns what was removed. */
export async function destroyNetwork(
  id: string,
): Promise<{ namespaces: string[]; processes: number; stuck: number[] }> {
  const namespaces = labNamespaces(id);
  const pids = [...new Set(namespaces.flatMap(pidsIn))];
  const stuck = await killAll(pids);
  for (const ns of namespaces) run('ip', ['netns', 'del', ns], { allowFailure: true });
  for (const n of NODES) fs.rmSync(etcNetns(nsName(id, n.name)), { recursive: true, force: true });
  return { namespaces, processes: pids.length, stuck };
}
