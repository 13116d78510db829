// Every manifest of the shared corpus (read in place, never copied) loads, and the
// snapshot holds what the files hold. The expected counts were taken by reading the
// files (`kind:` lines, List items and the flow-style documents of kubernetes/website).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadManifests } from '../../../src/sources/files.js';

const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');
const corpusFiles = (): string[] => {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/.test(name)) out.push(full);
    }
  };
  walk(CORPUS);
  return out;
};

describe('shared corpus', () => {
  test.each(corpusFiles().map((f) => [path.relative(CORPUS, f), f]))('%s loads', async (_name, file) => {
    const load = await loadManifests([file]);
    expect(load.files).toEqual([file]);
  });

  test('the whole folder loads with the expected objects', async () => {
    const { snapshot: s, files, skipped, objects } = await loadManifests([CORPUS]);
    expect(files).toHaveLength(77); // SOURCES.md is not a manifest and is not read
    expect(files.every((f) => /\.ya?ml$/.test(f))).toBe(true);
    expect(s.source).toEqual({ kind: 'files', description: CORPUS });
    expect(s.services).toHaveLength(37);
    expect(s.endpointSlices).toHaveLength(4);
    expect(s.pods).toHaveLength(2);
    expect(s.nodes).toHaveLength(0);
    expect(s.ingresses).toHaveLength(6);
    expect(s.ingressClasses).toHaveLength(4);
    expect(s.workloads.filter((w) => w.kind === 'Deployment')).toHaveLength(12);
    expect(s.workloads.filter((w) => w.kind === 'DaemonSet')).toHaveLength(6);
    expect(s.workloads).toHaveLength(18);
    expect(s.secrets).toHaveLength(0);
    // ingress-nginx's controller settings (three deploy.yaml variants); the HAProxy controllers' ones,
    // which hold no gateway config file, because the controllers name them with --configmap.
    expect(s.configMaps.map((c) => `${c.metadata.namespace}/${c.metadata.name}`)).toEqual([
      ...Array(3).fill('ingress-nginx/ingress-nginx-controller'),
      ...Array(2).fill('haproxy-controller/haproxy-kubernetes-ingress'),
      'ingress-controller/haproxy-ingress',
    ]);
    expect(s.gatewayClasses).toHaveLength(3);
    expect(s.gateways).toHaveLength(11);
    const routeKinds: Record<string, number> = {};
    for (const r of s.routes) routeKinds[r.kind] = (routeKinds[r.kind] ?? 0) + 1;
    expect(routeKinds).toEqual({ HTTPRoute: 5, GRPCRoute: 2, TCPRoute: 3, TLSRoute: 2, UDPRoute: 2 });
    expect(s.referenceGrants).toHaveLength(1);
    expect(s.metallb.ipAddressPools).toHaveLength(6);
    expect(s.metallb.l2Advertisements).toHaveLength(4);
    expect(s.metallb.bgpAdvertisements).toHaveLength(7);
    expect(s.metallb.bgpPeers).toHaveLength(5);
    expect(s.metallb.communities).toHaveLength(1);
    expect(s.metallb.bfdProfiles).toHaveLength(1);
    expect(s.cilium.loadBalancerIPPools).toHaveLength(3);
    expect(s.cilium.bgpPeeringPolicies).toHaveLength(2);
    expect(s.cilium.bgpClusterConfigs).toHaveLength(1);
    expect(s.cilium.bgpAdvertisements).toHaveLength(1);
    expect(objects).toBe(137);
    // RBAC, Namespaces, Jobs, webhooks, ServiceAccounts, CiliumBGPPeerConfig, ConfigMaps that do not matter.
    expect(skipped.every((x) => x.reason === 'kind-not-relevant' || x.reason === 'filtered')).toBe(true);
    expect(skipped.filter((x) => x.kind === 'ConfigMap' && x.reason === 'filtered')).toHaveLength(0);
    expect(skipped).toHaveLength(59);
  });

  test('flow-style documents of kubernetes/website are read (a grep for ^kind: misses them)', async () => {
    const { snapshot: s } = await loadManifests([path.join(CORPUS, 'kubernetes__website')]);
    const names = (xs: Array<{ metadata: { name?: string } }>) => xs.map((x) => x.metadata.name).sort();
    expect(names(s.ingresses)).toEqual(
      [
        'example-ingress',
        'ingress-resource-backend',
        'minimal-ingress',
        'name-virtual-host-ingress',
        'simple-fanout-example',
        'tls-example-ingress',
      ].sort(),
    );
    expect(s.services.map((x) => x.metadata.name)).toContain('my-service');
    expect(s.ingressClasses.map((x) => x.metadata.name)).toContain('example-class');
  });

  test('origins point at the file and line of each document', async () => {
    const file = path.join(CORPUS, 'metallb__metallb/configsamples__simple_pool_adv_l2.yaml');
    const { snapshot: s } = await loadManifests([file]);
    const pool = s.metallb.ipAddressPools[0]!;
    const adv = s.metallb.l2Advertisements[0]!;
    expect(s.origins.get(pool)).toEqual({ file, line: 1 });
    expect(s.origins.get(adv)?.file).toBe(file);
    expect(s.origins.get(adv)!.line).toBeGreaterThan(1);
  });

  test('objects without a namespace get the default namespace, cluster-scoped ones do not', async () => {
    const { snapshot: s } = await loadManifests([path.join(CORPUS, 'kubernetes__website')], {
      defaultNamespace: 'team-a',
    });
    const svc = s.services.find((x) => x.metadata.name === 'my-service')!;
    expect(svc.metadata.namespace).toBe('team-a');
    const ic = s.ingressClasses.find((x) => x.metadata.name === 'example-class')!;
    expect(ic.metadata.namespace).toBeUndefined();
  });
});
