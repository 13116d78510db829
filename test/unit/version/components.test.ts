import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { findComponents, parseImage } from '../../../src/version/components.js';

function workload(kind: string, namespace: string, name: string, ...images: string[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { namespace, name },
    spec: { template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
  } as KubeObject;
}

describe('parseImage', () => {
  it.each([
    ['quay.io/metallb/controller:v0.15.3', 'metallb/controller', 'v0.15.3'],
    ['registry.k8s.io/ingress-nginx/controller:v1.11.2@sha256:abc', 'ingress-nginx/controller', 'v1.11.2'],
    ['localhost:5000/traefik:v3.1', 'traefik', 'v3.1'],
    ['traefik', 'traefik', null],
    ['ghcr.io/kube-vip/kube-vip:latest', 'kube-vip/kube-vip', null],
    ['quay.io/cilium/cilium@sha256:abc', 'cilium/cilium', null],
  ])('%s', (image, repository, tag) => {
    expect(parseImage(image)).toEqual({ repository, tag });
  });
});

describe('findComponents', () => {
  it('names each implementation with the version of its image, one per workload, sorted; others are ignored', () => {
    const found = findComponents([
      workload(
        'DaemonSet',
        'metallb-system',
        'speaker',
        'quay.io/metallb/speaker:v0.15.3',
        'quay.io/frrouting/frr:9.1.0',
      ),
      workload('Deployment', 'metallb-system', 'controller', 'quay.io/metallb/controller:v0.15.3'),
      workload(
        'Deployment',
        'ingress-nginx',
        'ingress-nginx-controller',
        'registry.k8s.io/ingress-nginx/controller:v1.11.2@sha256:d5f8',
      ),
      workload('DaemonSet', 'kube-system', 'cilium', 'quay.io/cilium/cilium:v1.16.1'),
      workload('DaemonSet', 'kube-system', 'kube-vip-ds', 'ghcr.io/kube-vip/kube-vip:v0.8.3'),
      workload('Deployment', 'shop', 'web', 'registry.example/web:1.4'),
      workload('Deployment', 'haproxy', 'kubernetes-ingress', 'haproxytech/kubernetes-ingress:3.0.1'),
    ]);
    expect(found.map((c) => [c.name, c.version, c.workload])).toEqual([
      ['Cilium', 'v1.16.1', 'kube-system/daemonset/cilium'],
      ['HAProxy Kubernetes Ingress', '3.0.1', 'haproxy/deployment/kubernetes-ingress'],
      ['ingress-nginx', 'v1.11.2', 'ingress-nginx/deployment/ingress-nginx-controller'],
      ['kube-vip', 'v0.8.3', 'kube-system/daemonset/kube-vip-ds'],
      ['MetalLB', 'v0.15.3', 'metallb-system/daemonset/speaker'],
      ['MetalLB', 'v0.15.3', 'metallb-system/deployment/controller'],
    ]);
  });

  it('a workload without containers or images is no component', () => {
    expect(
      findComponents([
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'y' } } as KubeObject,
      ]),
    ).toEqual([]);
  });
});
