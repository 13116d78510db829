import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../src/discover/context.js';
import { classifyLoadBalancer } from '../../../src/discover/implementation.js';
import { discoverExposures } from '../../../src/discover/index.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import type { Service } from '../../../src/model/snapshot.js';
import {
  bgpadv,
  ciliumBgpAdv,
  ciliumL2,
  ciliumPeering,
  ciliumPool,
  kubeVipConfigMap,
  kubeVipDaemonSet,
  l2adv,
  lbStatus,
  live,
  pool,
  service,
  slice,
  snap,
} from '../../helpers/builders.js';

type Spec = Record<string, unknown>;
const lb = (spec: Spec = {}, meta: Spec = {}, status?: Spec) =>
  service('web', { type: 'LoadBalancer', ...spec }, meta, status);

function classify(svc: KubeObject, others: KubeObject[], source: 'files' | 'cluster' = 'files') {
  const s = snap([svc, ...others], source);
  return classifyLoadBalancer(buildContext(s), s.services[0] as Service);
}

const assigned = (ip: string, spec: Spec = {}, meta: Spec = {}) => lb(spec, meta, lbStatus(ip));

describe('MetalLB', () => {
  const p = pool('default-pool', ['192.0.2.0/28', '198.51.100.10-198.51.100.20', 'fd00:10::/124']);
  it.each([
    ['status IP in pool, L2Advertisement for every pool', assigned('192.0.2.3'), [p, l2adv('l2')], 'l2'],
    ['status IP in pool, BGPAdvertisement for every pool', assigned('192.0.2.3'), [p, bgpadv('bgp')], 'bgp'],
    ['IP in an a-b range', assigned('198.51.100.15'), [p, l2adv('l2')], 'l2'],
    ['IPv6 address', assigned('fd00:10::5'), [p, bgpadv('bgp')], 'bgp'],
    ['requested spec.loadBalancerIP', lb({ loadBalancerIP: '192.0.2.4' }), [p, l2adv('l2')], 'l2'],
    [
      'requested by metallb.io/loadBalancerIPs',
      lb({}, { annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.5' } }),
      [p, bgpadv('bgp')],
      'bgp',
    ],
    [
      'requested by metallb.universe.tf/loadBalancerIPs',
      lb({}, { annotations: { 'metallb.universe.tf/loadBalancerIPs': '192.0.2.5,fd00:10::1' } }),
      [p, l2adv('l2')],
      'l2',
    ],
    [
      'pool named by metallb.universe.tf/address-pool',
      lb({}, { annotations: { 'metallb.universe.tf/address-pool': 'default-pool' } }),
      [p, l2adv('l2')],
      'l2',
    ],
    [
      'pool named by metallb.io/address-pool',
      lb({}, { annotations: { 'metallb.io/address-pool': 'default-pool' } }),
      [p, bgpadv('bgp')],
      'bgp',
    ],
    ['no address yet, the only pool is open', lb(), [p, l2adv('l2')], 'l2'],
    [
      'advertisement lists the pool',
      assigned('192.0.2.3'),
      [p, l2adv('l2', { ipAddressPools: ['other'] }), bgpadv('b', { ipAddressPools: ['default-pool'] })],
      'bgp',
    ],
    [
      'advertisement selects the pool by label',
      assigned('192.0.2.3'),
      [
        pool('default-pool', ['192.0.2.0/28'], {}, { labels: { tier: 'bgp' } }),
        bgpadv('b', { ipAddressPoolSelectors: [{ matchLabels: { tier: 'bgp' } }] }),
        l2adv('l', { ipAddressPoolSelectors: [{ matchLabels: { tier: 'l2' } }] }),
      ],
      'bgp',
    ],
    ['loadBalancerClass with metallb in it', lb({ loadBalancerClass: 'metallb.io/metallb' }), [p, l2adv('l2')], 'l2'],
  ])('%s -> metallb %s', (_, svc, others, mode) => {
    const c = classify(svc, others);
    expect(c.implementation).toBe('metallb');
    expect(c.mode).toBe(mode);
  });

  it('both L2 and BGP announce the pool: bgp, and says so', () => {
    const e = discoverExposures(live([assigned('192.0.2.3'), p, l2adv('l2'), bgpadv('bgp')]))[0]!;
    expect(e.mode).toBe('bgp');
    expect(e.implementation).toBe('metallb');
    expect(e.reason).toMatch(/announced in BGP \(bgp\) and in L2 \(l2\); shown as bgp/);
  });

  it('no advertisement selects the pool: live -> broken, mode loadbalancer', () => {
    const e = discoverExposures(live([assigned('192.0.2.3'), p, l2adv('l2', { ipAddressPools: ['other'] })]))[0]!;
    expect(e).toMatchObject({ implementation: 'metallb', mode: 'loadbalancer', status: 'broken' });
    expect(e.reason).toMatch(/no L2Advertisement or BGPAdvertisement announces pool default-pool/);
  });

  it('no advertisement in files: mode loadbalancer, not broken', () => {
    const c = classify(assigned('192.0.2.3'), [p]);
    expect(c).toMatchObject({ implementation: 'metallb', mode: 'loadbalancer', problems: [] });
    expect(c.hints.join()).toMatch(/no L2Advertisement or BGPAdvertisement in the input/);
  });

  it('a named pool that does not exist breaks a live Service', () => {
    const c = classify(lb({}, { annotations: { 'metallb.io/address-pool': 'gone' } }), [p, l2adv('l2')], 'cluster');
    expect(c.problems.join()).toMatch(/IPAddressPool gone not found/);
  });

  it.each([
    ['autoAssign false', pool('p', ['192.0.2.0/28'], { autoAssign: false })],
    [
      'serviceAllocation for other namespaces',
      pool('p', ['192.0.2.0/28'], { serviceAllocation: { namespaces: ['team-a'] } }),
    ],
    [
      'serviceAllocation for other Services',
      pool('p', ['192.0.2.0/28'], { serviceAllocation: { serviceSelectors: [{ matchLabels: { app: 'db' } }] } }),
    ],
    [
      'only a namespaceSelector (Namespace labels unknown)',
      pool('p', ['192.0.2.0/28'], { serviceAllocation: { namespaceSelectors: [{ matchLabels: { a: 'b' } }] } }),
    ],
  ])('a pool that would not serve it: %s', (_, pl) => {
    expect(classify(lb(), [pl, l2adv('l2')]).implementation).toBeNull();
  });

  it('a pool that selects the Service wins over an open one', () => {
    const open = pool('open', ['192.0.2.0/28']);
    const mine = pool('mine', ['198.51.100.0/28'], {
      serviceAllocation: {
        namespaces: ['default'],
        serviceSelectors: [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }],
      },
    });
    const c = classify(lb({}, { labels: { app: 'web' } }), [
      open,
      mine,
      l2adv('l2', { ipAddressPools: ['mine'] }),
      bgpadv('b', { ipAddressPools: ['open'] }),
    ]);
    expect(c).toMatchObject({ implementation: 'metallb', mode: 'l2', pools: ['mine'] });
  });

  it("an address outside every pool is not MetalLB's", () => {
    expect(classify(lb({ loadBalancerIP: '203.0.113.9' }), [p, l2adv('l2')]).implementation).toBeNull();
  });
});

describe('Cilium LB-IPAM', () => {
  const blue = ciliumPool('blue', {
    blocks: [{ cidr: '20.0.10.0/24' }, { cidr: '2004::/64' }],
    serviceSelector: { matchLabels: { color: 'blue' } },
  });
  const range = ciliumPool('range', { blocks: [{ start: '20.0.20.10', stop: '20.0.20.20' }] });
  it.each([
    ['status IP in a cidr block', assigned('20.0.10.7'), [blue], 'loadbalancer'],
    ['status IPv6 in a block', assigned('2004::7'), [blue], 'loadbalancer'],
    ['status IP in a start/stop block', assigned('20.0.20.15'), [range], 'loadbalancer'],
    [
      'legacy spec.cidrs',
      assigned('20.0.30.1'),
      [ciliumPool('old', { cidrs: [{ cidr: '20.0.30.0/24' }] })],
      'loadbalancer',
    ],
    ['serviceSelector matches labels', lb({}, { labels: { color: 'blue' } }), [blue], 'loadbalancer'],
    [
      'serviceSelector on the namespace key',
      lb(),
      [
        ciliumPool('ns', {
          blocks: [{ cidr: '20.0.40.0/24' }],
          serviceSelector: { matchLabels: { 'io.kubernetes.service.namespace': 'default' } },
        }),
      ],
      'loadbalancer',
    ],
    [
      'lbipam.cilium.io/ips annotation',
      lb({}, { annotations: { 'lbipam.cilium.io/ips': '20.0.10.9' } }),
      [],
      'loadbalancer',
    ],
    ['loadBalancerClass io.cilium/l2-announcer', lb({ loadBalancerClass: 'io.cilium/l2-announcer' }), [], 'l2'],
    [
      'loadBalancerClass io.cilium/bgp-control-plane',
      lb({ loadBalancerClass: 'io.cilium/bgp-control-plane' }),
      [],
      'bgp',
    ],
    [
      'L2 announcement policy without selector',
      assigned('20.0.20.15'),
      [range, ciliumL2('all', { loadBalancerIPs: true })],
      'l2',
    ],
    [
      'L2 announcement policy with matching selector',
      lb({}, { labels: { color: 'blue' } }),
      [blue, ciliumL2('blue', { loadBalancerIPs: true, serviceSelector: { matchLabels: { color: 'blue' } } })],
      'l2',
    ],
    [
      'BGP advertisement of LoadBalancerIP selecting it',
      lb({}, { labels: { color: 'blue' } }),
      [
        blue,
        ciliumBgpAdv('adv', [
          {
            advertisementType: 'Service',
            service: { addresses: ['LoadBalancerIP'] },
            selector: { matchLabels: { color: 'blue' } },
          },
        ]),
      ],
      'bgp',
    ],
    [
      'BGP peering policy with serviceSelector',
      lb({}, { labels: { color: 'blue' } }),
      [
        blue,
        ciliumPeering('p', [
          {
            localASN: 65001,
            serviceSelector: { matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['never'] }] },
          },
        ]),
      ],
      'bgp',
    ],
  ])('%s -> cilium %s', (_, svc, others, mode) => {
    const c = classify(svc, others);
    expect(c.implementation).toBe('cilium');
    expect(c.mode).toBe(mode);
  });

  it.each([
    [
      'BGP advertisement of another Service',
      ciliumBgpAdv('adv', [
        {
          advertisementType: 'Service',
          service: { addresses: ['LoadBalancerIP'] },
          selector: { matchLabels: { color: 'red' } },
        },
      ]),
    ],
    [
      'BGP advertisement of ClusterIP only',
      ciliumBgpAdv('adv', [
        {
          advertisementType: 'Service',
          service: { addresses: ['ClusterIP'] },
          selector: { matchLabels: { color: 'blue' } },
        },
      ]),
    ],
    [
      'BGP advertisement without selector (selects nothing)',
      ciliumBgpAdv('adv', [{ advertisementType: 'Service', service: { addresses: ['LoadBalancerIP'] } }]),
    ],
    ['peering policy without serviceSelector', ciliumPeering('p', [{ localASN: 65001 }])],
    ['L2 policy not announcing LB IPs', ciliumL2('l2', { externalIPs: true })],
  ])('not announced: %s -> loadbalancer', (_, other) => {
    const c = classify(lb({}, { labels: { color: 'blue' } }), [blue, other]);
    expect(c).toMatchObject({ implementation: 'cilium', mode: 'loadbalancer' });
  });

  it('a pool whose selector does not match is not a candidate', () => {
    expect(classify(lb({}, { labels: { color: 'red' } }), [blue]).implementation).toBeNull();
  });

  it('a disabled pool is ignored', () => {
    expect(
      classify(assigned('20.0.20.15'), [ciliumPool('off', { disabled: true, blocks: [{ cidr: '20.0.20.0/24' }] })])
        .implementation,
    ).toBeNull();
  });
});

describe('kube-vip', () => {
  const arp = kubeVipDaemonSet({ vip_arp: 'true', svc_enable: 'true' });
  const bgp = kubeVipDaemonSet({ vip_arp: 'false', bgp_enable: 'true', svc_enable: 'true' });
  it.each([
    ['loadBalancerClass kube-vip.io/kube-vip-class', lb({ loadBalancerClass: 'kube-vip.io/kube-vip-class' }), [], 'l2'],
    [
      'kube-vip.io/loadbalancerIPs annotation',
      lb({}, { annotations: { 'kube-vip.io/loadbalancerIPs': '192.0.2.50' } }),
      [arp],
      'l2',
    ],
    ['any kube-vip.io/ annotation', lb({}, { annotations: { 'kube-vip.io/serviceInterface': 'ens192' } }), [], 'l2'],
    [
      'kubevip ConfigMap range covers the address',
      assigned('192.0.2.60'),
      [kubeVipConfigMap({ 'range-global': '192.0.2.50-192.0.2.70' })],
      'l2',
    ],
    ['kubevip ConfigMap cidr for the namespace', lb(), [kubeVipConfigMap({ 'cidr-default': '192.0.2.64/26' })], 'l2'],
    ['only a kube-vip DaemonSet with svc_enable (ARP)', lb(), [arp], 'l2'],
    ['kube-vip DaemonSet with bgp_enable', lb({ loadBalancerClass: 'kube-vip.io/kube-vip-class' }), [bgp], 'bgp'],
    [
      'kube-vip takes any requested address, even outside pools',
      lb({ loadBalancerIP: '203.0.113.5' }),
      [arp, pool('p', ['192.0.2.0/28'])],
      'l2',
    ],
  ])('%s -> kube-vip %s', (_, svc, others, mode) => {
    const c = classify(svc, others);
    expect(c.implementation).toBe('kube-vip');
    expect(c.mode).toBe(mode);
  });

  it('a kube-vip DaemonSet without svc_enable (control plane only) does not serve Services', () => {
    expect(classify(lb(), [kubeVipDaemonSet({ vip_arp: 'true', cp_enable: 'true' })]).implementation).toBeNull();
  });

  it('the same DaemonSet read twice: the last one read wins', () => {
    expect(classify(lb({ loadBalancerClass: 'kube-vip.io/kube-vip-class' }), [bgp, arp]).mode).toBe('l2');
    expect(classify(lb({ loadBalancerClass: 'kube-vip.io/kube-vip-class' }), [arp, bgp]).mode).toBe('bgp');
  });

  it('two kube-vip DaemonSets, one ARP and one BGP: bgp, and says so', () => {
    const c = classify(lb({ loadBalancerClass: 'kube-vip.io/kube-vip-class' }), [
      arp,
      kubeVipDaemonSet({ bgp_enable: 'true', svc_enable: 'true' }, 'kube-vip-bgp'),
    ]);
    expect(c.mode).toBe('bgp');
    expect(c.notes.join()).toMatch(/BGP .* and ARP/);
  });
});

describe('precedence and unknowns', () => {
  it('an unknown loadBalancerClass: implementation null, mode loadbalancer', () => {
    const c = classify(lb({ loadBalancerClass: 'example.com/lb' }), [pool('p', ['192.0.2.0/28']), l2adv('l2')]);
    expect(c).toMatchObject({ implementation: null, mode: 'loadbalancer' });
  });

  it('nothing at all: null / loadbalancer, and pending says why', () => {
    expect(classify(lb(), [])).toMatchObject({ implementation: null, mode: 'loadbalancer' });
    const e = discoverExposures(live([lb(), slice('web', [{}])]))[0]!;
    expect(e.status).toBe('pending');
    expect(e.reason).toMatch(/no load-balancer implementation/);
  });

  it('class beats annotations and pools', () => {
    expect(
      classify(assigned('192.0.2.3', { loadBalancerClass: 'kube-vip.io/kube-vip-class' }), [
        pool('p', ['192.0.2.0/28']),
        l2adv('l2'),
      ]).implementation,
    ).toBe('kube-vip');
  });

  it('annotations beat pools', () => {
    expect(
      classify(assigned('192.0.2.3', {}, { annotations: { 'kube-vip.io/egress': 'true' } }), [
        pool('p', ['192.0.2.0/28']),
        l2adv('l2'),
      ]).implementation,
    ).toBe('kube-vip');
  });

  it('the pool that covers the address beats open pools of others', () => {
    const c = classify(assigned('20.0.10.7'), [
      pool('p', ['192.0.2.0/28']),
      ciliumPool('c', { blocks: [{ cidr: '20.0.10.0/24' }] }),
      kubeVipDaemonSet({ vip_arp: 'true', svc_enable: 'true' }),
    ]);
    expect(c.implementation).toBe('cilium');
  });

  it('several open candidates: null, with the candidates named', () => {
    const c = classify(lb(), [
      pool('p', ['192.0.2.0/28']),
      l2adv('l2'),
      kubeVipDaemonSet({ vip_arp: 'true', svc_enable: 'true' }),
    ]);
    expect(c).toMatchObject({ implementation: null, mode: 'loadbalancer' });
    expect(c.notes.join()).toMatch(/ambiguous: could be metallb .* or kube-vip/);
  });

  it('two pools of different implementations covering the address: null', () => {
    const c = classify(assigned('192.0.2.3'), [
      pool('p', ['192.0.2.0/28']),
      ciliumPool('c', { blocks: [{ cidr: '192.0.2.0/24' }] }),
    ]);
    expect(c.implementation).toBeNull();
  });
});

describe('cloud load balancers', () => {
  it("a hostname address is nobody's pool", () => {
    const c = classify(assigned('a1b2.elb.example.com'), [pool('p', ['192.0.2.0/28']), l2adv('l2')]);
    expect(c).toMatchObject({ implementation: null, mode: 'loadbalancer' });
  });
});
