// lb/annotation-ignored: one rule per test, snapshots built here, run through the registry.
import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/model/kube-object.js';
import {
  backendRule,
  diagnose,
  ingress,
  ingressNginx,
  l2adv,
  lbStatus,
  pairs,
  pool,
  service,
  snapshotOf,
} from './helpers.js';

const run = (objects: KubeObject[]) =>
  diagnose(snapshotOf(objects), { check: 'lb' }).filter((f) => f.code === 'lb/annotation-ignored');
const metallb = [pool('lan', ['198.51.100.0/28']), l2adv('lan')];
const lb = (meta: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
  service('web', { type: 'LoadBalancer', ...spec }, meta, lbStatus('198.51.100.5'));

describe('a key the implementation does not read', () => {
  test("any unknown key under MetalLB's prefixes (a closed set), with the keys it reads", () => {
    const found = run([...metallb, lb({ annotations: { 'metallb.universe.tf/pool-name': 'lan' } })]);
    expect(pairs(found)).toEqual([['lb/annotation-ignored', 'Service default/web']]);
    expect(found[0]!.message).toMatch(/MetalLB does not read.*address-pool/);
    expect(run([...metallb, lb({ annotations: { 'metallb.io/address-pool': 'lan' } })])).toEqual([]);
  });

  test('a typo close to a known key is named with the key meant', () => {
    const found = run([...metallb, lb({ annotations: { 'metallb.io/loadBalancerIP': '198.51.100.5' } })]);
    expect(found[0]!.message).toMatch(/did you mean metallb\.io\/loadBalancerIPs\?/);
    const nginx = run([
      ingress(
        'web',
        { rules: [backendRule('web')] },
        { annotations: { 'nginx.ingress.kubernetes.io/rewrite-targt': '/' } },
      ),
    ]);
    expect(nginx[0]!.message).toMatch(/did you mean nginx\.ingress\.kubernetes\.io\/rewrite-target\?/);
  });

  test('an unknown key far from every known one under an open set (ingress-nginx) is not judged', () => {
    expect(
      run([
        ingress(
          'web',
          { rules: [backendRule('web')] },
          { annotations: { 'nginx.ingress.kubernetes.io/some-new-feature': 'x' } },
        ),
      ]),
    ).toEqual([]);
  });
});

describe('a key under labels', () => {
  test('a MetalLB key written as a label; not when the annotation is there too', () => {
    const found = run([...metallb, lb({ labels: { 'metallb.io/address-pool': 'lan' } })]);
    expect(found[0]!.message).toMatch(/as a label; MetalLB reads it only as an annotation/);
    expect(
      run([
        ...metallb,
        lb({ labels: { 'metallb.io/address-pool': 'lan' }, annotations: { 'metallb.io/address-pool': 'lan' } }),
      ]),
    ).toEqual([]);
  });

  test("kube-vip's vipHost label is its own (it writes it there)", () => {
    expect(
      run([lb({ labels: { 'kube-vip.io/vipHost': 'n1' } }, { loadBalancerClass: 'kube-vip.io/kube-vip-class' })]),
    ).toEqual([]);
  });
});

describe("another implementation's or a cloud's key", () => {
  test("kube-vip's loadbalancerIPs on a Service MetalLB serves (by class)", () => {
    const found = run([
      ...metallb,
      lb({ annotations: { 'kube-vip.io/loadbalancerIPs': '198.51.100.5' } }, { loadBalancerClass: 'metallb' }),
    ]);
    expect(found[0]!.message).toMatch(
      /served by metallb, but its annotation kube-vip.io\/loadbalancerIPs is kube-vip's/,
    );
  });

  test('a cloud PROXY-protocol annotation on a MetalLB Service sends nothing; the receiver expecting it is a mismatch', () => {
    const objects = [
      ...metallb,
      ...ingressNginx(
        { 'use-proxy-protocol': 'true' },
        { type: 'LoadBalancer' },
        { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol': '*' } },
      ),
    ];
    const all = diagnose(snapshotOf(objects));
    const codes = pairs(all).map(([c]) => c);
    expect(codes).toContain('lb/annotation-ignored');
    expect(codes).toContain('source-ip/proxy-protocol-mismatch');
    expect(all.find((f) => f.code === 'lb/annotation-ignored')!.message).toMatch(/nothing sends PROXY protocol/);
  });

  test("the same annotation without an in-cluster implementation is the cloud's, not ignored", () => {
    expect(run([lb({ annotations: { 'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol': '*' } })])).toEqual(
      [],
    );
  });
});
