// #16 point 9: fixes never ask to edit an object another controller owns; they name the owner's setting.
import { describe, expect, it } from 'vitest';
import { ownedFix } from '../../../src/analyzers/owned-fix.js';
import { ownerOf } from '../../../src/discover/owners.js';

const o = (kind: string, name: string, namespace: string, meta: Record<string, unknown> = {}) => ({
  kind,
  metadata: { name, namespace, ...meta },
});

describe('ownerOf', () => {
  it.each([
    [
      'k3s ServiceLB DaemonSet',
      o('DaemonSet', 'svclb-traefik-a1b2c3', 'kube-system', {
        labels: {
          'svccontroller.k3s.cattle.io/svcname': 'traefik',
          'svccontroller.k3s.cattle.io/svcnamespace': 'kube-system',
        },
      }),
      { kind: 'k3s-servicelb', service: 'kube-system/traefik' },
    ],
    [
      'Helm release',
      o('Service', 'web', 'apps', {
        labels: { 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: { 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'apps' },
      }),
      { kind: 'helm', release: 'web', namespace: 'apps' },
    ],
    [
      'operator (controller ownerReference)',
      o('Service', 'eg-gw', 'envoy-gateway-system', {
        ownerReferences: [
          { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'eg', controller: true },
        ],
      }),
      { kind: 'operator', ref: 'Gateway eg' },
    ],
    [
      'another manager',
      o('ConfigMap', 'c', 'x', { labels: { 'app.kubernetes.io/managed-by': 'argocd' } }),
      { kind: 'manager', manager: 'argocd' },
    ],
    [
      'the user own (kubectl)',
      o('Service', 's', 'x', { labels: { 'app.kubernetes.io/managed-by': 'kubectl' } }),
      undefined,
    ],
  ])('%s', (_n, obj, owner) => {
    expect(ownerOf(obj)).toEqual(owner);
  });
});

describe('ownedFix', () => {
  it('keeps the direct edit for the user own objects', () => {
    expect(ownedFix(o('Service', 's', 'x'), 'Set spec.a: b', 'spec.a: b', { tail: 'trade-off' })).toBe(
      'Set spec.a: b; trade-off',
    );
  });
  it("names the Helm value (or k3s's HelmChartConfig) instead of editing the object", () => {
    const helm = o('ConfigMap', 'ingress-nginx-controller', 'ingress-nginx', {
      annotations: { 'meta.helm.sh/release-name': 'ingress-nginx', 'meta.helm.sh/release-namespace': 'ingress-nginx' },
    });
    expect(
      ownedFix(helm, 'Set use-proxy-protocol', 'use-proxy-protocol: "true"', {
        helmValue: 'controller.config.use-proxy-protocol: "true"',
      }),
    ).toBe(
      'ConfigMap ingress-nginx/ingress-nginx-controller belongs to Helm release ingress-nginx/ingress-nginx: set controller.config.use-proxy-protocol: "true" in the release\'s values and upgrade it (an edit of the object is undone by the next upgrade)',
    );
    const k3s = o('Service', 'traefik', 'kube-system', { annotations: { 'meta.helm.sh/release-name': 'traefik' } });
    expect(ownedFix(k3s, 'kubectl patch', 'x', { helmValue: 'service.spec.externalTrafficPolicy: Local' })).toContain(
      'HelmChartConfig kube-system/traefik',
    );
  });
});
