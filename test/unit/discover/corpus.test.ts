// The shared corpus (../shared/corpus, read in place): every file classifies without
// throwing, and each exposing object gets the mode and implementation a reader of the
// file would give it. Rows are written `namespace/name Kind mode implementation`, and
// each group lists every row its files produce (so a missing or extra row fails too).
import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import { type Exposure, exposureListApiVersion, MODES } from '../../../src/model/exposure.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { lbStatus, service } from '../../helpers/builders.js';
import { CORPUS, corpusFiles, corpusSnapshot } from './corpus-helpers.js';

const row = (e: Exposure) => `${e.namespace}/${e.name} ${e.kind} ${e.mode} ${e.implementation ?? '-'}`;
const rowsOf = (...paths: string[]) => discoverExposures(corpusSnapshot(...paths));

const CIL = 'cilium__cilium/contrib__containerlab__';
const HAP = 'haproxytech__kubernetes-ingress/deploy__';
const JCM = 'jcmoraisjr__haproxy-ingress/';
const KV = 'kube-vip__kube-vip/';
const MLB = 'metallb__metallb/configsamples__';
const GW = 'kubernetes-sigs__gateway-api/examples__';
const NGX = 'kubernetes__ingress-nginx/';
const WEB = 'kubernetes__website/content__en__examples__';

// Each entry: the corpus files (or folders) read together as one input, and every row expected.
const GROUPS: Array<[string, string[], string[]]> = [
  // Cilium: LB-IPAM pools select the Services by label; the BGP advertisement announces them.
  [
    'cilium LB-IPAM pools, no announcement',
    [`${CIL}bgpv2__service__lb-ip.yaml`],
    [
      'tenant-blue/lb-service-blue Service loadbalancer cilium',
      'tenant-red/lb-service-red Service loadbalancer cilium',
    ],
  ],
  [
    'cilium LB-IPAM pools + CiliumBGPAdvertisement',
    [`${CIL}bgpv2__service__lb-ip.yaml`, `${CIL}bgpv2__service__bgp.yaml`],
    ['tenant-blue/lb-service-blue Service bgp cilium', 'tenant-red/lb-service-red Service bgp cilium'],
  ],
  [
    'cilium NodePort Services with externalIPs',
    [`${CIL}bgpv2__service__service.yaml`],
    [
      'tenant-blue/service-blue Service nodeport -',
      'tenant-blue/service-blue Service externalip -',
      'tenant-red/service-red Service nodeport -',
      'tenant-red/service-red Service externalip -',
    ],
  ],
  [
    'cilium Gateway (class cilium) and its HTTPRoute',
    [`${CIL}bgpv2__lb-ipam-gateway-api__gateway-blue.yaml`],
    [
      // The route has no namespace (default) and the listener allows routes from its own namespace only: not attached.
      'default/httproute-blue HTTPRoute gateway cilium',
      'tenant-blue/gateway-blue Gateway gateway cilium',
    ],
  ],
  ['cilium BGP peering policy alone exposes nothing', [`${CIL}bgp-cplane-dev-v4__bgpp.yaml`], []],
  ['cilium LB-IPAM pool alone exposes nothing', [`${CIL}bgpv2__lb-ipam-gateway-api__ip-pool-blue.yaml`], []],

  // HAProxy controllers
  [
    'haproxytech DaemonSet with hostPort + NodePort Service',
    [`${HAP}haproxy-ingress-daemonset.yaml`],
    [
      'haproxy-controller/haproxy-kubernetes-ingress DaemonSet hostport haproxy',
      'haproxy-controller/haproxy-kubernetes-ingress Service nodeport -',
    ],
  ],
  [
    'haproxytech Deployment (no hostPort) + NodePort Service',
    [`${HAP}haproxy-ingress.yaml`],
    ['haproxy-controller/haproxy-kubernetes-ingress Service nodeport -'],
  ],
  [
    'haproxy-ingress DaemonSet with hostNetwork',
    [`${JCM}docs__static__resources__haproxy-ingress.yaml`],
    ['ingress-controller/haproxy-ingress DaemonSet hostnetwork haproxy'],
  ],
  [
    'haproxy-ingress example DaemonSet (neither hostNetwork nor hostPort)',
    [`${JCM}examples__daemonset__haproxy-ingress-daemonset.yaml`],
    [],
  ],

  // kube-vip
  [
    'kube-vip egress-annotated Service',
    [`${KV}demo__server__deploy.yaml`],
    ['default/demo-service Service l2 kube-vip'],
  ],
  [
    'kube-vip serviceInterface annotation',
    [`${KV}example__service-interface-annotation.yaml`],
    ['default/nginx-interface-ens192-service Service l2 kube-vip'],
  ],
  [
    'kube-vip egress Services',
    [`${KV}testing__kind__egress.yaml`],
    ['default/service3 Service l2 kube-vip', 'default/service4 Service l2 kube-vip'],
  ],
  [
    'plain LB Service alone: no implementation evident',
    [`${KV}example__service.yaml`],
    ['default/nginx-service Service loadbalancer -'],
  ],
  [
    'plain LB Service + kube-vip ARP DaemonSet (svc_enable)',
    [`${KV}docs__manifests__v0.4.1__kube-vip-arp-ds-lb.yaml`, `${KV}example__service.yaml`],
    ['default/nginx-service Service l2 kube-vip'],
  ],
  [
    'plain LB Service + kube-vip BGP DaemonSet (bgp_enable)',
    [`${KV}testing__kind__kube-vip-skaffold-bgp.yaml`, `${KV}example__service.yaml`],
    ['default/nginx-service Service bgp kube-vip'],
  ],
  [
    'kube-vip DaemonSets alone (hostNetwork, no ports) expose nothing',
    [`${KV}testing__kind__kube-vip-skaffold.yaml`, `${KV}testing__kind__kube-vip-skaffold-bgp.yaml`],
    [],
  ],
  [
    'the kube-vip folder (its last DaemonSet read is the ARP one)',
    ['kube-vip__kube-vip'],
    [
      'default/demo-service Service l2 kube-vip',
      'default/nginx-interface-ens192-service Service l2 kube-vip',
      'default/nginx-service Service l2 kube-vip',
      'default/service3 Service l2 kube-vip',
      'default/service4 Service l2 kube-vip',
    ],
  ],

  // MetalLB
  ['MetalLB pool + L2Advertisement + Service', [`${MLB}deployment_l2.yaml`], ['default/nginx Service l2 metallb']],
  ['MetalLB pool + BGPAdvertisement + Service', [`${MLB}deployment_bgp.yaml`], ['default/nginx Service bgp metallb']],
  [
    'MetalLB both samples: the pool is announced both ways',
    [`${MLB}deployment_l2.yaml`, `${MLB}deployment_bgp.yaml`],
    ['default/nginx Service bgp metallb', 'default/nginx Service bgp metallb'],
  ],
  [
    'MetalLB configuration without Services exposes nothing',
    ['metallb__metallb'].flatMap(() => corpusFiles().filter((f) => f.startsWith('metallb') && !/deployment_/.test(f))),
    [],
  ],

  // ingress-nginx
  [
    'ingress-nginx bare-metal: NodePort controller Service',
    [`${NGX}deploy__static__provider__baremetal__deploy.yaml`],
    ['ingress-nginx/ingress-nginx-controller Service nodeport -'],
  ],
  [
    'ingress-nginx bare-metal service-nodeport.yaml',
    [`${NGX}deploy__static__provider__baremetal__service-nodeport.yaml`],
    ['ingress-nginx/ingress-nginx Service nodeport -'],
  ],
  [
    'ingress-nginx DigitalOcean: cloud LoadBalancer',
    [`${NGX}deploy__static__provider__do__deploy.yaml`],
    ['ingress-nginx/ingress-nginx-controller Service loadbalancer -'],
  ],
  [
    'ingress-nginx kind: hostPort Deployment + LoadBalancer Service',
    [`${NGX}deploy__static__provider__kind__deploy.yaml`],
    [
      'ingress-nginx/ingress-nginx-controller Deployment hostport ingress-nginx',
      'ingress-nginx/ingress-nginx-controller Service loadbalancer -',
    ],
  ],
  [
    'ingress-nginx static-ip controller with hostPort',
    [`${NGX}docs__examples__static-ip__nginx-ingress-controller.yaml`],
    ['default/ingress-nginx-controller Deployment hostport ingress-nginx'],
  ],
  [
    'ingress-nginx static-ip LoadBalancer Service',
    [`${NGX}docs__examples__static-ip__static-ip-svc.yaml`],
    ['default/ingress-nginx-lb Service loadbalancer -'],
  ],
  ['ingress-nginx example backend (ClusterIP)', [`${NGX}docs__examples__http-svc.yaml`], []],

  // Kubernetes website examples
  [
    'Ingress with class nginx (IngressClass not in the input)',
    [`${WEB}service__networking__example-ingress.yaml`],
    ['default/example-ingress Ingress ingress ingress-nginx'],
  ],
  [
    'Ingress with class nginx + ingress-nginx IngressClass',
    [`${WEB}service__networking__example-ingress.yaml`, `${NGX}deploy__static__provider__baremetal__deploy.yaml`],
    [
      'default/example-ingress Ingress ingress ingress-nginx',
      'ingress-nginx/ingress-nginx-controller Service nodeport -',
    ],
  ],
  [
    'Ingress with an unconventional class name',
    [`${WEB}service__networking__minimal-ingress.yaml`],
    ['default/minimal-ingress Ingress ingress -'],
  ],
  [
    'Ingresses without class + the default IngressClass',
    [
      `${WEB}service__networking__default-ingressclass.yaml`,
      `${WEB}service__networking__name-virtual-host-ingress.yaml`,
      `${WEB}service__networking__simple-fanout-example.yaml`,
      `${WEB}service__networking__tls-example-ingress.yaml`,
      `${WEB}service__networking__ingress-resource-backend.yaml`,
    ],
    [
      'default/ingress-resource-backend Ingress ingress k8s.io/example-class',
      'default/name-virtual-host-ingress Ingress ingress k8s.io/example-class',
      'default/simple-fanout-example Ingress ingress k8s.io/example-class',
      'default/tls-example-ingress Ingress ingress k8s.io/example-class',
    ],
  ],
  [
    'NodePort Service (nginx-secure-app)',
    [`${WEB}service__networking__nginx-secure-app.yaml`],
    ['default/my-nginx Service nodeport -'],
  ],
  [
    'LoadBalancer Services without an implementation in the input',
    [
      `${WEB}service__access__frontend-service.yaml`,
      `${WEB}service__networking__dual-stack-ipv6-lb-svc.yaml`,
      `${WEB}service__networking__dual-stack-prefer-ipv6-lb-svc.yaml`,
    ],
    [
      'default/frontend Service loadbalancer -',
      'default/my-service Service loadbalancer -',
      'default/my-service Service loadbalancer -',
    ],
  ],
  [
    'ClusterIP and headless Services expose nothing',
    [
      `${WEB}application__cassandra__cassandra-service.yaml`,
      `${WEB}application__guestbook__frontend-service.yaml`,
      `${WEB}application__mysql__mysql-services.yaml`,
      `${WEB}service__access__backend-service.yaml`,
      `${WEB}service__networking__dual-stack-default-svc.yaml`,
      `${WEB}service__nginx-service.yaml`,
      `${WEB}service__simple-service.yaml`,
    ],
    [],
  ],
  [
    'website Gateway + GatewayClass + routes',
    [
      `${WEB}service__networking__gateway.yaml`,
      `${WEB}service__networking__gatewayclass.yaml`,
      `${WEB}service__networking__httproute.yaml`,
      `${WEB}service__networking__grpcroute.yaml`,
    ],
    [
      // The routes name example-gateway in their own (default) namespace; the Gateway is in example-namespace.
      'default/example-grpcroute GRPCRoute gateway -',
      'default/example-httproute HTTPRoute gateway -',
      'example-namespace/example-gateway Gateway gateway example.com/gateway-controller',
    ],
  ],

  // Gateway API examples
  [
    'basic-http',
    [`${GW}standard__basic-http.yaml`],
    [
      'default/http-app-1 HTTPRoute gateway acme.io/gateway-controller',
      'default/my-gateway Gateway gateway acme.io/gateway-controller',
    ],
  ],
  [
    'basic-grpc',
    [`${GW}standard__basic-grpc.yaml`],
    [
      'default/grpc-app-1 GRPCRoute gateway acme.io/gateway-controller',
      'default/my-gateway Gateway gateway acme.io/gateway-controller',
    ],
  ],
  [
    'basic-tcp',
    [`${GW}standard__basic-tcp.yaml`],
    [
      'default/my-tcp-gateway Gateway gateway -',
      'default/tcp-app-1 TCPRoute gateway -',
      'default/tcp-app-2 TCPRoute gateway -',
    ],
  ],
  [
    'basic-udp',
    [`${GW}standard__basic-udp.yaml`],
    [
      'default/my-udp-gateway Gateway gateway -',
      'default/udp-app-1 UDPRoute gateway -',
      'default/udp-app-2 UDPRoute gateway -',
    ],
  ],
  [
    'tls-routing',
    [`${GW}standard__tls-routing__gateway.yaml`, `${GW}standard__tls-routing__tls-route.yaml`],
    ['default/example-gateway Gateway gateway -', 'default/foo-route TLSRoute gateway -'],
  ],
  [
    'simple-gateway + class example',
    [
      `${GW}standard__simple-gateway__gateway.yaml`,
      `${GW}standard__simple-gateway__httproute.yaml`,
      `${GW}standard__basic-http.yaml`,
    ],
    [
      'default/foo HTTPRoute gateway acme.io/gateway-controller',
      'default/http-app-1 HTTPRoute gateway acme.io/gateway-controller',
      'default/my-gateway Gateway gateway acme.io/gateway-controller',
      'default/prod-web Gateway gateway acme.io/gateway-controller',
    ],
  ],
  ['gateway-addresses', [`${GW}standard__gateway-addresses.yaml`], ['default/gateway-addresses Gateway gateway -']],
  [
    'cross-namespace gateway',
    [`${GW}standard__cross-namespace-routing__gateway.yaml`],
    ['infra-ns/shared-gateway Gateway gateway -'],
  ],
  [
    'simple-http-https gateway',
    [`${GW}standard__simple-http-https__gateway.yaml`],
    ['default/example-gateway Gateway gateway -'],
  ],
  [
    'v1alpha3 TLSRoute',
    [`${GW}experimental__v1alpha3__tls-routing__tls-route.yaml`],
    ['default/example-route TLSRoute gateway -'],
  ],
  [
    'mesh TCPRoute (parent is a Mesh) is not an exposure',
    [`${GW}experimental__destination-port-matching-tcp.yaml`],
    [],
  ],
  ['ReferenceGrant exposes nothing', [`${GW}standard__reference-grant.yaml`], []],
  [
    'conformance HTTPRoute (parent not in the input) and ClusterIP Services',
    ['kubernetes-sigs__gateway-api/conformance__tests__httproute-service-types.yaml'],
    ['gateway-conformance-infra/service-types HTTPRoute gateway -'],
  ],
];

describe('corpus: every file classifies without throwing', () => {
  const files = corpusFiles();
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(70);
  });
  it.each(files)('%s', (file) => {
    const items = rowsOf(file);
    for (const e of items) {
      expect(MODES).toContain(e.mode);
      expect(['ready', 'pending', 'degraded', 'broken', 'unknown']).toContain(e.status);
      expect(['preserved', 'lost', 'unknown']).toContain(e.sourceIP);
      expect(JSON.parse(JSON.stringify(e))).toEqual(e); // plain JSON, nothing undefined-valued lost
    }
  });
  it('every file is covered by an expectation group', () => {
    const covered = new Set(
      GROUPS.flatMap(([, paths]) =>
        paths.flatMap((p) => (p.endsWith('.yaml') ? [p] : corpusFiles().filter((f) => f.startsWith(p)))),
      ),
    );
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
  });
});

describe('corpus: expected rows', () => {
  it.each(GROUPS)('%s', (_, paths, expected) => {
    expect(
      rowsOf(...paths)
        .map(row)
        .sort(),
    ).toEqual([...expected].sort());
  });
});

describe('corpus: details a reader of the files would check', () => {
  const find = (items: Exposure[], text: string) => {
    const e = items.find((x) => row(x).startsWith(text));
    expect(e, text).toBeDefined();
    return e!;
  };

  it('ingress-nginx bare-metal controller: NodePort on 80/443, source IP lost (Cluster policy)', () => {
    const e = find(
      rowsOf(`${NGX}deploy__static__provider__baremetal__deploy.yaml`),
      'ingress-nginx/ingress-nginx-controller Service',
    );
    expect(e.ports).toEqual([
      { port: 80, protocol: 'TCP', targetPort: 'http' },
      { port: 443, protocol: 'TCP', targetPort: 'https' },
    ]);
    expect(e.sourceIP).toBe('lost');
    expect(e.status).toBe('unknown');
  });

  it('Ingress of class nginx: the source IP as the bare-metal controller sees it (NodePort, Cluster: lost)', () => {
    expect(
      find(
        rowsOf(
          `${WEB}service__networking__example-ingress.yaml`,
          `${NGX}deploy__static__provider__baremetal__deploy.yaml`,
        ),
        'default/example-ingress',
      ).sourceIP,
    ).toBe('lost');
    expect(
      find(
        rowsOf(`${WEB}service__networking__example-ingress.yaml`, `${NGX}deploy__static__provider__do__deploy.yaml`),
        'default/example-ingress',
      ).sourceIP,
    ).toBe('preserved');
    // kind: hostPort (preserved) and a Cluster LoadBalancer (lost) both reach it
    expect(
      find(
        rowsOf(`${WEB}service__networking__example-ingress.yaml`, `${NGX}deploy__static__provider__kind__deploy.yaml`),
        'default/example-ingress',
      ).sourceIP,
    ).toBe('unknown');
  });

  it('ingress-nginx DigitalOcean controller: Local policy preserves the source IP', () => {
    expect(
      find(rowsOf(`${NGX}deploy__static__provider__do__deploy.yaml`), 'ingress-nginx/ingress-nginx-controller Service')
        .sourceIP,
    ).toBe('preserved');
  });

  it('static-ip Service shows its requested address', () => {
    expect(
      find(rowsOf(`${NGX}docs__examples__static-ip__static-ip-svc.yaml`), 'default/ingress-nginx-lb').addresses,
    ).toEqual(['104.154.109.191']);
  });

  it('haproxytech DaemonSet: the three hostPorts', () => {
    const e = find(
      rowsOf(`${HAP}haproxy-ingress-daemonset.yaml`),
      'haproxy-controller/haproxy-kubernetes-ingress DaemonSet',
    );
    expect(e.ports.map((p) => p.port)).toEqual([8080, 8443, 1024]);
    expect(e.sourceIP).toBe('preserved');
  });

  it('haproxy-ingress hostNetwork DaemonSet: every container port', () => {
    expect(
      find(
        rowsOf(`${JCM}docs__static__resources__haproxy-ingress.yaml`),
        'ingress-controller/haproxy-ingress',
      ).ports.map((p) => p.port),
    ).toEqual([80, 443, 1936, 10254]);
  });

  it('kind ingress-nginx: only the hostPort ports, not the webhook', () => {
    expect(
      find(
        rowsOf(`${NGX}deploy__static__provider__kind__deploy.yaml`),
        'ingress-nginx/ingress-nginx-controller Deployment',
      ).ports.map((p) => p.port),
    ).toEqual([80, 443]);
  });

  it('cilium externalIPs rows carry the external IPs', () => {
    const items = rowsOf(`${CIL}bgpv2__service__service.yaml`);
    expect(find(items, 'tenant-blue/service-blue Service externalip').addresses).toEqual(['192.168.100.10']);
    expect(find(items, 'tenant-red/service-red Service externalip').addresses).toEqual(['192.168.200.10']);
    expect(find(items, 'tenant-blue/service-blue Service nodeport').sourceIP).toBe('preserved');
  });

  it('cilium HTTPRoute in another namespace than its Gateway is reported broken, with why', () => {
    const e = find(rowsOf(`${CIL}bgpv2__lb-ipam-gateway-api__gateway-blue.yaml`), 'default/httproute-blue');
    expect(e.status).toBe('broken');
    expect(e.reason).toMatch(/admits routes from namespace tenant-blue only/);
    expect(e.service).toEqual({ namespace: 'default', name: 'details' });
  });

  it('gateway-api basic-tcp: each TCPRoute gets the port of its listener and its backend', () => {
    const items = rowsOf(`${GW}standard__basic-tcp.yaml`);
    expect(find(items, 'default/tcp-app-1').ports).toEqual([
      { port: 8080, protocol: 'TCP', name: 'foo', targetPort: 6000 },
    ]);
    expect(find(items, 'default/tcp-app-2').ports).toEqual([
      { port: 8090, protocol: 'TCP', name: 'bar', targetPort: 6000 },
    ]);
    expect(find(items, 'default/tcp-app-2').service).toEqual({ namespace: 'default', name: 'my-bar-service' });
  });

  it('gateway-api UDP listeners are UDP', () => {
    expect(
      find(rowsOf(`${GW}standard__basic-udp.yaml`), 'default/my-udp-gateway').ports.map((p) => p.protocol),
    ).toEqual(['UDP', 'UDP']);
  });

  it('gateway-addresses: requested addresses from spec.addresses', () => {
    expect(find(rowsOf(`${GW}standard__gateway-addresses.yaml`), 'default/gateway-addresses').addresses).toContain(
      '1.2.3.4',
    );
  });

  it('conformance EndpointSlices without endpoints: the route backend has none', () => {
    const e = find(
      rowsOf('kubernetes-sigs__gateway-api/conformance__tests__httproute-service-types.yaml'),
      'gateway-conformance-infra/service-types',
    );
    expect(e.endpoints).toEqual({ ready: 0, total: 0 });
    expect(e.status).toBe('broken');
  });

  it('website TLS Ingress listens on 443 too and lists its hosts', () => {
    const e = find(rowsOf(`${WEB}service__networking__tls-example-ingress.yaml`), 'default/tls-example-ingress');
    expect(e.ports.map((p) => p.port)).toEqual([80, 443]);
    expect(e.hosts).toEqual(['https-example.foo.com']);
  });

  it('MetalLB both ways says so', () => {
    const [e] = rowsOf(`${MLB}deployment_l2.yaml`, `${MLB}deployment_bgp.yaml`);
    expect(e!.reason).toMatch(/shown as bgp/);
  });
});

describe('corpus MetalLB pools with a Service of ours', () => {
  // The configsamples hold pools and advertisements but (apart from deployment_*) no
  // Service: these cases add one LoadBalancer Service to the sample files.
  const withService = (svc: KubeObject, ...paths: string[]) => {
    const s = corpusSnapshot(...paths);
    s.services.push(svc as never);
    return discoverExposures(s).find((e) => e.kind === 'Service')!;
  };
  it.each([
    ['address in the CIDR, BGP sample', lbStatus('192.168.10.20'), 'simple_pool_adv_bgp.yaml', 'bgp'],
    ['address in the a-b range, L2 sample', lbStatus('192.168.9.3'), 'simple_pool_adv_l2.yaml', 'l2'],
    ['IPv6 address in the /124, L2 sample', lbStatus('fc00:f853:ccd:e799::3'), 'simple_pool_adv_l2.yaml', 'l2'],
  ])('%s', (_, status, file, mode) => {
    const e = withService(service('app', { type: 'LoadBalancer' }, {}, status), `${MLB}${file}`);
    expect(e).toMatchObject({ mode, implementation: 'metallb' });
  });

  it("pool with serviceAllocation: a Service it selects is MetalLB's", () => {
    const e = withService(
      service('app', { type: 'LoadBalancer' }, { namespace: 'namespace-a', labels: { app: 'bar' } }),
      `${MLB}ipaddresspool_with_selector.yaml`,
    );
    expect(e.implementation).toBe('metallb');
  });

  it('pool with serviceAllocation: a Service it does not select is not', () => {
    const e = withService(
      service('app', { type: 'LoadBalancer' }, { namespace: 'namespace-c', labels: { app: 'bar' } }),
      `${MLB}ipaddresspool_with_selector.yaml`,
    );
    expect(e.implementation).toBeNull();
  });

  it('an L2Advertisement that lists another pool does not announce it', () => {
    const e = withService(
      service('app', { type: 'LoadBalancer' }, {}, lbStatus('192.168.10.20')),
      `${MLB}ipaddresspool_simple.yaml`,
      `${MLB}l2adv_selects_pools_by_list.yaml`,
    );
    expect(e).toMatchObject({ implementation: 'metallb', mode: 'loadbalancer' });
  });

  it('a BGPAdvertisement with no pool list announces every pool', () => {
    const e = withService(
      service('app', { type: 'LoadBalancer' }, {}, lbStatus('192.168.10.20')),
      `${MLB}ipaddresspool_simple.yaml`,
      `${MLB}l2adv_with_node_selector.yaml`,
    );
    expect(e).toMatchObject({ implementation: 'metallb', mode: 'l2' });
  });
});

describe('the whole corpus as one input (exposectl list -f ../shared/corpus)', () => {
  const items = discoverExposures(corpusSnapshot('.'));
  const modeOf = (text: string) =>
    items.filter((e) => row(e).startsWith(text)).map((e) => `${e.mode} ${e.implementation ?? '-'}`);

  it('is sorted by namespace, name, kind', () => {
    const keys = items.map((e) => [e.namespace ?? '', e.name, e.kind]);
    const sorted = [...keys].sort((a, b) => (a.join('\0') < b.join('\0') ? -1 : a.join('\0') > b.join('\0') ? 1 : 0));
    expect(keys).toEqual(sorted);
  });

  it('is an ExposureList item list of the contract', () => {
    const list = { apiVersion: exposureListApiVersion(items), kind: 'ExposureList', items };
    expect(list.items.length).toBe(58);
  });

  it.each([
    // evidence that names the implementation survives the mix
    ['tenant-blue/lb-service-blue Service', ['bgp cilium']],
    ['tenant-red/lb-service-red Service', ['bgp cilium']],
    ['default/demo-service Service', ['l2 kube-vip']],
    ['default/service3 Service', ['l2 kube-vip']],
    ['default/nginx-interface-ens192-service Service', ['l2 kube-vip']],
    // a requested address in no MetalLB/Cilium pool: only kube-vip would announce it
    ['default/ingress-nginx-lb Service', ['l2 kube-vip']],
    // no evidence, and both MetalLB (open pool) and kube-vip (svc_enable) are in the input: ambiguous
    ['default/nginx-service Service', ['loadbalancer -']],
    ['default/nginx Service', ['loadbalancer -', 'loadbalancer -']],
    ['tenant-blue/gateway-blue Gateway', ['gateway cilium']],
    ['default/httproute-blue HTTPRoute', ['gateway cilium']],
    ['default/example-ingress Ingress', ['ingress ingress-nginx']],
    ['default/name-virtual-host-ingress Ingress', ['ingress k8s.io/example-class']],
    ['ingress-controller/haproxy-ingress DaemonSet', ['hostnetwork haproxy']],
    ['haproxy-controller/haproxy-kubernetes-ingress DaemonSet', ['hostport haproxy']],
  ])('%s -> %j', (text, expected) => {
    expect(modeOf(text)).toEqual(expected);
  });

  it('ambiguous rows name the candidates', () => {
    const e = items.find((x) => row(x).startsWith('default/nginx-service Service'))!;
    expect(e.reason).toMatch(/ambiguous: could be metallb .* or kube-vip/);
  });
});

describe('the whole corpus through the file reader (readManifests)', () => {
  it('gives the same rows as the test loader', async () => {
    const { readManifests } = await import('../../../src/sources/files.js');
    const fromReader = discoverExposures(await readManifests([CORPUS]));
    const fromHelper = discoverExposures(corpusSnapshot('.'));
    expect(fromReader.map((e) => `${row(e)} ${e.status}`).sort()).toEqual(
      fromHelper.map((e) => `${row(e)} ${e.status}`).sort(),
    );
  });
});

describe('the corpus output against schemas/exposure-list.schema.json', () => {
  it('every row of every file, and of the whole corpus, is schema-valid', async () => {
    const { readFileSync } = await import('node:fs');
    const { default: Ajv2020 } = await import('ajv/dist/2020.js');
    const schema = JSON.parse(
      readFileSync(new URL('../../../schemas/exposure-list.schema.json', import.meta.url), 'utf8'),
    );
    const validate = new (Ajv2020 as unknown as typeof import('ajv').default)({
      allErrors: true,
      strict: false,
    }).compile(schema);
    for (const paths of [...corpusFiles().map((f) => [f]), ['.']]) {
      const rows = rowsOf(...paths);
      const list = { apiVersion: exposureListApiVersion(rows), kind: 'ExposureList', items: rows };
      expect(validate(JSON.parse(JSON.stringify(list))), `${paths.join()}: ${JSON.stringify(validate.errors)}`).toBe(
        true,
      );
    }
  });
});
