// expose --mode bgp through Calico: an IPPool for LoadBalancer addresses, the missing
// serviceLoadBalancerIPs entries of the default BGPConfiguration, the LoadBalancer Service.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/kube-object.js';
import {
  CALICO_ADDED_ANNOTATION,
  CALICO_RANGES_ANNOTATION,
  calicoRangesToRelease,
  calicoWantedRanges,
} from '../../../src/modes/calico.js';
import { type ExposeFacts, type ExposeSpec, planExpose, takeoverProblems } from '../../../src/modes/index.js';
import { expectGolden, pool, svc } from './helpers.js';

const web = svc('web');
const calicoPool = (name: string, cidr: string, uses = ['LoadBalancer']) =>
  ({
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'IPPool',
    metadata: { name },
    spec: { cidr, allowedUses: uses },
  }) as KubeObject;
const calico = (over: Partial<NonNullable<ExposeFacts['calico']>> = {}): ExposeFacts => ({
  services: [web],
  pools: [],
  calico: { running: true, bgpConfigurations: [], ipPools: [calicoPool('lb-public', '198.51.100.0/24')], ...over },
});
const plan = (spec: Partial<ExposeSpec>, facts = calico()) => planExpose({ service: web, mode: 'bgp', ...spec }, facts);

describe('bgp through Calico', () => {
  it('--addresses: an owned IPPool, the default BGPConfiguration as created with that entry, the Service (golden)', () => {
    const p = plan({ addresses: ['203.0.113.0/28'] });
    expect(p.problems).toEqual([]);
    expect(p.manifests.map((m) => `${m.kind} ${m.metadata.name}`)).toEqual([
      'IPPool exposectl-shop-web',
      'BGPConfiguration default',
      'Service web-lb',
    ]);
    expect(p.manifests[1]).toEqual({
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'BGPConfiguration',
      metadata: { name: 'default', annotations: { [CALICO_ADDED_ANNOTATION]: '203.0.113.0/28' } },
      spec: { serviceLoadBalancerIPs: [{ cidr: '203.0.113.0/28' }] },
    });
    expect(calicoWantedRanges(p.manifests)).toEqual(['203.0.113.0/28']);
    expect(p.manifests[0]!.metadata.namespace).toBeUndefined();
    expect(p.notes.join('\n')).toMatch(/no BGPConfiguration default: it is created/);
    expectGolden('calico-addresses', p.manifests);
  });

  it('--pool: an existing Calico pool with LoadBalancer use; no pool created', () => {
    const p = plan({ pool: 'lb-public', ip: '198.51.100.7', preserveSourceIP: true });
    expect(p.problems).toEqual([]);
    expect(p.manifests.map((m) => m.kind)).toEqual(['BGPConfiguration', 'Service']);
    const s = p.manifests[1]!;
    expect(s.metadata.annotations).toMatchObject({
      'projectcalico.org/ipv4pools': '["lb-public"]',
      [CALICO_RANGES_ANNOTATION]: '198.51.100.0/24',
    });
    expect(s.spec).toMatchObject({ loadBalancerIP: '198.51.100.7', externalTrafficPolicy: 'Local' });
  });

  it("the planned BGPConfiguration is the live one plus the missing entry: the admin's entries and fields stay", () => {
    const live = {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'BGPConfiguration',
      metadata: { name: 'default', resourceVersion: '42', uid: 'u1', annotations: { team: 'net' } },
      spec: { asNumber: 64512, serviceLoadBalancerIPs: [{ cidr: '192.0.2.128/25' }] },
    } as KubeObject;
    const p = plan({ addresses: ['203.0.113.0/28'] }, calico({ bgpConfigurations: [live] }));
    expect(p.manifests[1]).toEqual({
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'BGPConfiguration',
      metadata: { name: 'default', annotations: { team: 'net', [CALICO_ADDED_ANNOTATION]: '203.0.113.0/28' } },
      spec: { asNumber: 64512, serviceLoadBalancerIPs: [{ cidr: '192.0.2.128/25' }, { cidr: '203.0.113.0/28' }] },
    });
    expect(p.notes.join('\n')).not.toMatch(/it is created/);
  });

  it.each([
    [{}, 'addresses', /give --addresses CIDR/],
    [{ addresses: ['203.0.113.1-203.0.113.9'] }, 'addresses', /not a CIDR/],
    [{ pool: 'nope' }, 'pool', /no Calico IPPool nope \(pools: lb-public\)/],
    [{ addresses: ['203.0.113.0/28'], peer: '192.0.2.1' }, 'peer', /MetalLB's/],
    [{ addresses: ['203.0.113.0/28'], ip: '198.51.100.1' }, 'ip', /not in 203\.0\.113\.0\/28/],
  ] as const)('refuses %j', (spec, field, message) => {
    const p = plan(spec as Partial<ExposeSpec>);
    expect(p.manifests).toEqual([]);
    expect(p.problems.find((x) => x.field === field)?.message).toMatch(message);
  });

  it('a pool without LoadBalancer in allowedUses is refused', () => {
    const p = plan(
      { pool: 'pods' },
      calico({ ipPools: [calicoPool('pods', '10.244.0.0/16', ['Workload', 'Tunnel'])] }),
    );
    expect(p.problems[0]!.message).toMatch(/does not have LoadBalancer in spec.allowedUses/);
  });

  it('MetalLB pools present, or Calico not running: the MetalLB plan', () => {
    const metallb = plan(
      { addresses: ['203.0.113.0/28'], peer: '192.0.2.1', peerASN: 64500, myASN: 64512 },
      {
        ...calico(),
        pools: [pool('p', ['198.51.100.0/24'])],
        bgpPeers: [],
        bgpAdvertisements: [],
        l2Advertisements: [],
      },
    );
    expect(metallb.manifests.map((m) => m.apiVersion)).toContain('metallb.io/v1beta1');
    const none = plan(
      { addresses: ['203.0.113.0/28'], peer: '192.0.2.1', peerASN: 64500, myASN: 64512 },
      { ...calico({ running: false }), bgpPeers: [], bgpAdvertisements: [], l2Advertisements: [] },
    );
    expect(none.manifests.map((m) => m.kind)).not.toContain('BGPConfiguration');
  });

  it('the shared BGPConfiguration passes the takeover check; an IPPool of someone else does not', () => {
    const p = plan({ addresses: ['203.0.113.0/28'] });
    const theirs = [
      { apiVersion: 'crd.projectcalico.org/v1', kind: 'BGPConfiguration', metadata: { name: 'default' } },
      calicoPool('exposectl-shop-web', '203.0.113.0/28'),
    ] as KubeObject[];
    expect(takeoverProblems(p.manifests, theirs).map((x) => x.message)).toEqual([
      expect.stringMatching(/^IPPool exposectl-shop-web already exists/),
    ]);
  });

  it('unexpose releases the ranges of the deleted Service that no other exposectl Service needs', () => {
    const mine = plan({ addresses: ['203.0.113.0/28'] }).manifests;
    const published = mine.find((m) => m.kind === 'Service')!;
    const target = { namespace: 'shop', name: 'web' };
    expect(calicoRangesToRelease(mine, [published], target)).toEqual(['203.0.113.0/28']);
    const other = {
      ...published,
      metadata: {
        ...published.metadata,
        name: 'api-lb',
        labels: { ...published.metadata.labels, 'exposectl.dev/service': 'api' },
        annotations: { [CALICO_RANGES_ANNOTATION]: '203.0.113.0/28,192.0.2.128/28' },
      },
    };
    expect(calicoRangesToRelease(mine, [published, other], target)).toEqual([]);
    // A Service exposectl does not own names no range of exposectl's.
    const foreign = { ...other, metadata: { ...other.metadata, labels: {} } };
    expect(calicoRangesToRelease(mine, [published, foreign], target)).toEqual(['203.0.113.0/28']);
    expect(calicoRangesToRelease([], [published], target)).toEqual([]);
  });
});
