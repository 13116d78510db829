import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/kube-object.js';
import {
  type ExposeSpec,
  isOwnedByExposectl,
  isOwnedFor,
  ownedFor,
  planExpose,
  planUnexpose,
  takeoverProblems,
} from '../../../src/modes/index.js';
import { bgpad, peer, pool, svc } from './helpers.js';

const l2Spec: ExposeSpec = { service: svc('web'), mode: 'l2', addresses: ['203.0.113.10-203.0.113.20'] };
const l2 = planExpose(l2Spec).manifests;
const bgp = planExpose({
  service: svc('web'),
  mode: 'bgp',
  addresses: ['203.0.113.32/28'],
  peer: '192.0.2.1',
  peerASN: 64500,
  myASN: 64512,
}).manifests;
const kinds = (objs: KubeObject[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`);

describe('ownership labels', () => {
  it('recognises what exposectl made', () => {
    expect(l2).toHaveLength(3);
    for (const o of l2) {
      expect(isOwnedByExposectl(o)).toBe(true);
      expect(isOwnedFor(o, 'web', 'shop')).toBe(true);
      expect(isOwnedFor(o, 'web', 'other')).toBe(false);
      expect(isOwnedFor(o, 'api')).toBe(false);
    }
    expect(isOwnedByExposectl(svc('web') as KubeObject)).toBe(false);
    expect(
      isOwnedByExposectl({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { labels: { 'app.kubernetes.io/managed-by': 'Helm' } },
      }),
    ).toBe(false);
  });

  it('ownedFor gives a label selector string', () => {
    expect(ownedFor('web')).toBe('app.kubernetes.io/managed-by=exposectl,exposectl.dev/service=web');
    expect(ownedFor('web', 'shop')).toBe(
      'app.kubernetes.io/managed-by=exposectl,exposectl.dev/service=web,exposectl.dev/service-namespace=shop',
    );
  });

  it("the in-place patch carries no ownership label (unexpose never deletes the user's Service)", () => {
    const [patch] = planExpose({ ...l2Spec, inPlace: true }).manifests.filter((o) => o.kind === 'Service');
    expect(isOwnedByExposectl(patch!)).toBe(false);
    expect(patch!.metadata.annotations?.['exposectl.dev/in-place']).toBe('l2');
  });
});

describe('planUnexpose', () => {
  it('deletes everything when nothing else uses it, front objects first', () => {
    const plan = planUnexpose(l2, []);
    expect(kinds(plan.delete)).toEqual([
      'Service/web-lb',
      'L2Advertisement/exposectl-shop-web',
      'IPAddressPool/exposectl-shop-web',
    ]);
    expect(plan.keep).toEqual([]);
    expect(plan.revert).toEqual([]);
  });

  it('keeps a pool (and its advertisement) another Service names', () => {
    const other = svc('api', {
      type: 'LoadBalancer',
      annotations: { 'metallb.io/address-pool': 'exposectl-shop-web' },
    });
    const plan = planUnexpose(l2, [other]);
    expect(kinds(plan.delete)).toEqual(['Service/web-lb']);
    expect(plan.keep.map((k) => [k.obj.kind, k.reason])).toEqual([
      ['IPAddressPool', 'pool still used by shop/api'],
      ['L2Advertisement', 'announces pool exposectl-shop-web still used by shop/api'],
    ]);
  });

  it('keeps a pool another Service holds an address of', () => {
    const other = svc('api', { namespace: 'b', type: 'LoadBalancer', ip: '203.0.113.15' });
    expect(planUnexpose(l2, { services: [other] }).keep.map((k) => k.obj.kind)).toEqual([
      'IPAddressPool',
      'L2Advertisement',
    ]);
  });

  it('an address outside the pool, or a Service that is not a LoadBalancer, does not hold it', () => {
    const outside = svc('api', { type: 'LoadBalancer', ip: '203.0.113.99' });
    const clusterIP = svc('x', { annotations: { 'metallb.io/address-pool': 'exposectl-shop-web' } });
    expect(planUnexpose(l2, [outside, clusterIP]).keep).toEqual([]);
  });

  it('the Services being unexposed do not keep their own pool', () => {
    const lb = { ...l2[2]!, status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } } };
    expect(planUnexpose(l2, [lb as never]).keep).toEqual([]);
  });

  it('keeps an advertisement exposectl added for an existing pool while that pool serves others', () => {
    const reused = planExpose(
      { service: svc('web'), mode: 'l2', pool: 'public' },
      { pools: [pool('public', ['198.51.100.0/24'])], l2Advertisements: [], services: [] },
    ).manifests;
    const other = svc('api', { type: 'LoadBalancer', ip: '198.51.100.9' });
    const plan = planUnexpose(reused, { services: [other], pools: [pool('public', ['198.51.100.0/24'])] });
    expect(kinds(plan.delete)).toEqual(['Service/web-lb']);
    expect(plan.keep[0]!.reason).toBe('announces pool public still used by shop/api');
  });

  it('keeps a BGP peer while another BGPAdvertisement needs the session', () => {
    const plan = planUnexpose(bgp, { services: [], bgpAdvertisements: [bgpad('default', ['public'])] });
    expect(plan.keep.map((k) => [k.obj.kind, k.reason])).toEqual([
      ['BGPPeer', 'BGP session still needed by BGPAdvertisement metallb-system/default'],
    ]);
    expect(kinds(plan.delete)).toEqual([
      'Service/web-lb',
      'BGPAdvertisement/exposectl-shop-web',
      'IPAddressPool/exposectl-shop-web',
    ]);
  });

  it('deletes the peer once no other advertisement remains (its own advertisement is going too)', () => {
    const ownAd = bgp.find((o) => o.kind === 'BGPAdvertisement')!;
    const plan = planUnexpose(bgp, { services: [], bgpAdvertisements: [ownAd] });
    expect(kinds(plan.delete)).toContain('BGPPeer/exposectl-peer-192-0-2-1');
    expect(peer('x', '1.1.1.1', 1, 2).kind).toBe('BGPPeer');
  });

  it('never deletes an object exposectl does not own', () => {
    const foreign: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-hostnet', namespace: 'shop' },
    };
    const plan = planUnexpose([foreign, ...l2, l2[0]!], []);
    expect(plan.keep).toEqual([
      { obj: foreign, reason: 'not managed by exposectl (label app.kubernetes.io/managed-by=exposectl missing)' },
    ]);
    expect(plan.delete).toHaveLength(3); // the duplicate is listed once
  });

  it('reverts a Service patched in place with an empty apply patch', () => {
    const patched = svc('web', {
      type: 'LoadBalancer',
      annotations: { 'exposectl.dev/in-place': 'l2', 'metallb.io/address-pool': 'exposectl-shop-web' },
      ip: '203.0.113.10',
    });
    const owned = l2.filter((o) => o.kind !== 'Service');
    const plan = planUnexpose(owned, { services: [patched], target: { namespace: 'shop', name: 'web' } });
    expect(plan.revert).toEqual([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } }]);
    expect(kinds(plan.delete)).toEqual(['L2Advertisement/exposectl-shop-web', 'IPAddressPool/exposectl-shop-web']);
  });

  it('does not revert a Service that was not patched in place', () => {
    expect(planUnexpose(l2, { services: [svc('web')], target: { namespace: 'shop', name: 'web' } }).revert).toEqual([]);
  });
});

describe('takeoverProblems', () => {
  it('refuses an existing object exposectl does not own, unless forced', () => {
    const mine = planExpose({ service: svc('web'), mode: 'nodeport' }).manifests;
    const theirs: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-nodeport', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'Helm' } },
    };
    expect(takeoverProblems(mine, [theirs])).toEqual([
      {
        field: 'force',
        message:
          'Service shop/web-nodeport already exists, managed by Helm: refusing to take it over (--force to override)',
      },
    ]);
    expect(takeoverProblems(mine, [theirs], true)).toEqual([]);
  });

  it('accepts its own objects (re-running expose) and exempts in-place patches', () => {
    const mine = planExpose({ service: svc('web'), mode: 'nodeport' }).manifests;
    expect(takeoverProblems(mine, mine)).toEqual([]);
    const patch = planExpose({ service: svc('web'), mode: 'nodeport', inPlace: true }).manifests;
    expect(takeoverProblems(patch, [svc('web') as KubeObject])).toEqual([]);
  });

  it('refuses an object exposectl made for another Service', () => {
    const mine = planExpose({ service: svc('web'), mode: 'nodeport' }).manifests;
    const other = {
      ...mine[0]!,
      metadata: { ...mine[0]!.metadata, labels: { ...mine[0]!.metadata.labels, 'exposectl.dev/service': 'web2' } },
    };
    expect(takeoverProblems(mine, [other])[0]!.message).toContain('managed by exposectl for shop/web2');
  });
});
