// `exposectl probe bgp` against BIRD configured as Calico configures it (calico-node's
// bird.cfg, in BIRD 2 syntax): each node exports, through Calico's filter
// calico_export_to_bgp_peers, the serviceLoadBalancerIPs range as a blackhole static route
// (Cluster policy: every node) and the /32 of a Local Service. Node n2 announces the /32
// of shop/web without having an endpoint of it (a stale route): the probe, with Calico's
// objects as -f manifests, must name exactly that next hop and find the rest advertised.
//
// Needs root, iproute2 and bird2. Missing tools fail the test.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, stableCli } from '../arp/lab.js';
import { type Host, Lab, requireTools, sbinEnv } from './lab.js';
import { startBird } from './speakers.js';

const PORT = 17902;
const PROBE_AS = 65001; // the router's AS in Calico's BGPPeer
const CALICO_AS = 64512; // Calico's default AS

const MANIFESTS = `
apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata: { name: default }
spec: { serviceLoadBalancerIPs: [{ cidr: 198.51.100.0/24 }] }
---
apiVersion: crd.projectcalico.org/v1
kind: BGPPeer
metadata: { name: tor }
spec: { peerIP: 192.0.2.1, asNumber: ${PROBE_AS} }
---
apiVersion: v1
kind: Node
metadata: { name: n1 }
status: { addresses: [{ type: InternalIP, address: 192.0.2.11 }] }
---
apiVersion: v1
kind: Node
metadata: { name: n2 }
status: { addresses: [{ type: InternalIP, address: 192.0.2.12 }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { type: LoadBalancer, externalTrafficPolicy: Local, selector: { app: web }, ports: [{ port: 80 }] }
status: { loadBalancer: { ingress: [{ ip: 198.51.100.10 }] } }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: web-1, namespace: shop, labels: { kubernetes.io/service-name: web } }
addressType: IPv4
endpoints: [{ addresses: [10.244.1.5], conditions: { ready: true }, nodeName: n1 }]
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec: { type: LoadBalancer, selector: { app: api }, ports: [{ port: 80 }] }
status: { loadBalancer: { ingress: [{ ip: 198.51.100.20 }] } }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: api-1, namespace: shop, labels: { kubernetes.io/service-name: api } }
addressType: IPv4
endpoints: [{ addresses: [10.244.2.5], conditions: { ready: true }, nodeName: n2 }]
`;

/** calico-node's BIRD: Calico's export filter, the Service routes, one peering to the router. */
function calicoBird(node: Host, probe: string, routes: string[]): string {
  return `
filter calico_export_to_bgp_peers {
  if ( net ~ 198.51.100.0/24 ) then { accept; }
  reject;
}
protocol static static_services {
  ipv4;
${routes.map((r) => `  route ${r} blackhole;`).join('\n')}
}
protocol bgp Global_${probe.replaceAll('.', '_')} {
  description "Connection to BGP peer";
  local ${node.v4} as ${CALICO_AS};
  neighbor ${probe} port ${PORT} as ${PROBE_AS};
  connect retry time 1;
  ipv4 { import none; export filter calico_export_to_bgp_peers; next hop self; };
}`;
}

let lab: Lab;
let n1: Host;
let n2: Host;
let cliPath: string;

beforeAll(async () => {
  await requireTools(['ip', 'bird', 'birdc']);
  lab = new Lab();
  cliPath = stableCli(lab.dir);
  await lab.create();
  n1 = await lab.addHost('n1', 11);
  n2 = await lab.addHost('n2', 12);
  await startBird(lab, n1, 'calico-n1', calicoBird(n1, lab.probe.v4, ['198.51.100.0/24', '198.51.100.10/32']));
  // n2 has no endpoint of shop/web, yet announces its /32: a stale route.
  await startBird(lab, n2, 'calico-n2', calicoBird(n2, lab.probe.v4, ['198.51.100.0/24', '198.51.100.10/32']));
}, 120_000);

afterAll(async () => {
  await lab?.destroy();
}, 60_000);

describe('exposectl probe bgp against BIRD configured as Calico configures it', () => {
  it('the range from every node covers shop/api; the /32 of Local shop/web via n2 is bgp/nexthop-without-endpoints', async () => {
    const manifests = lab.file('calico.yaml', MANIFESTS);
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        lab.probe.ns,
        process.execPath,
        cliPath,
        'probe',
        'bgp',
        '--listen',
        `${lab.probe.v4}:${PORT}`,
        '--local-as',
        String(PROBE_AS),
        '-o',
        'json',
        '-f',
        manifests,
        '--peer',
        n1.v4,
        '--peer',
        n2.v4,
        '--duration',
        '12s',
        '--fail-on',
        'none',
      ],
      {
        env: { ...sbinEnv(), NO_COLOR: '1', KUBECONFIG: lab.logPath('no-kubeconfig') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    lab.track(child);
    const r = await collect(child, 90_000);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      peers: Array<{ address: string; state: string; routes: Array<{ prefix: string; nextHop: string }> }>;
      findings: Array<{ code: string; subject: { name: string }; message: string }>;
    };
    for (const n of [n1, n2]) {
      const peer = doc.peers.find((p) => p.address === n.v4)!;
      expect(peer.state).toBe('Established');
      expect(peer.routes.map((x) => x.prefix).sort()).toEqual(['198.51.100.0/24', '198.51.100.10/32']);
    }
    const probeFindings = doc.findings.filter((f) => f.code.startsWith('bgp/'));
    expect(probeFindings.map((f) => [f.code, f.subject.name])).toEqual([['bgp/nexthop-without-endpoints', 'web']]);
    expect(probeFindings[0]!.message).toContain('node n2');
  });
});
