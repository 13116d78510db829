// Every analyzer over the shared corpus, read in place: each file alone (as a user would
// lint it), and the whole corpus as one input. Every finding it raises is listed here and
// explained in docs/diagnose-corpus.md; no error-level finding outside the two documented
// incomplete parts. The report validates against the DiagnosisReport schema.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runAnalyzers } from '../../../src/analyzers/registry.js';
import { buildContext } from '../../../src/discover/context.js';
import { readManifests } from '../../../src/sources/files.js';
import { CORPUS } from '../../helpers/cli.js';
import { schemaErrors } from '../../helpers/schema.js';
import { clock } from './helpers.js';

async function findingsOf(paths: string[]) {
  const snapshot = await readManifests(paths);
  return runAnalyzers({ snapshot, ctx: buildContext(snapshot), probes: {} }, clock).findings;
}
const line = (f: {
  severity: string;
  code: string;
  subject: { kind: string; namespace: string | null; name: string };
}) => `${f.severity} ${f.code} ${f.subject.kind} ${f.subject.namespace ?? ''}/${f.subject.name}`;

/** Per file: every finding (files without findings are not listed). */
const PER_FILE: Record<string, string[]> = {
  'cilium__cilium/contrib__containerlab__bgpv2__lb-ipam-gateway-api__gateway-blue.yaml': [
    'error gateway/route-not-attached HTTPRoute default/httproute-blue',
  ],
  'cilium__cilium/contrib__containerlab__bgpv2__service__lb-ip.yaml': [
    'warning source-ip/etp-cluster Service tenant-red/lb-service-red',
  ],
  'cilium__cilium/contrib__containerlab__bgpv2__service__service.yaml': [
    'warning source-ip/etp-cluster Service tenant-red/service-red',
  ],
  'haproxytech__kubernetes-ingress/deploy__haproxy-ingress-daemonset.yaml': [
    'warning source-ip/etp-cluster Service haproxy-controller/haproxy-kubernetes-ingress',
  ],
  'haproxytech__kubernetes-ingress/deploy__haproxy-ingress.yaml': [
    'warning source-ip/etp-cluster Service haproxy-controller/haproxy-kubernetes-ingress',
  ],
  'kube-vip__kube-vip/example__service-interface-annotation.yaml': [
    'warning source-ip/etp-cluster Service default/nginx-interface-ens192-service',
  ],
  'kube-vip__kube-vip/example__service.yaml': ['warning source-ip/etp-cluster Service default/nginx-service'],
  'kubernetes-sigs__gateway-api/conformance__tests__httproute-service-types.yaml': [
    'error endpoints/none-ready Service gateway-conformance-infra/headless-manual-endpointslices',
    'error endpoints/none-ready Service gateway-conformance-infra/manual-endpointslices',
  ],
  'kubernetes-sigs__gateway-api/examples__experimental__v1alpha3__tls-routing__tls-route.yaml': [
    'warning source-ip/proxy-protocol-missing TLSRoute default/example-route',
  ],
  'kubernetes-sigs__gateway-api/examples__standard__basic-tcp.yaml': [
    'warning source-ip/proxy-protocol-missing TCPRoute default/tcp-app-1',
    'warning source-ip/proxy-protocol-missing TCPRoute default/tcp-app-2',
  ],
  'kubernetes-sigs__gateway-api/examples__standard__basic-udp.yaml': [
    'warning source-ip/proxy-protocol-missing UDPRoute default/udp-app-1',
    'warning source-ip/proxy-protocol-missing UDPRoute default/udp-app-2',
  ],
  'kubernetes-sigs__gateway-api/examples__standard__tls-routing__tls-route.yaml': [
    'warning source-ip/proxy-protocol-missing TLSRoute default/foo-route',
  ],
  'kubernetes__ingress-nginx/deploy__static__provider__baremetal__deploy.yaml': [
    'warning source-ip/etp-cluster Service ingress-nginx/ingress-nginx-controller',
  ],
  'kubernetes__ingress-nginx/deploy__static__provider__baremetal__service-nodeport.yaml': [
    'warning source-ip/etp-cluster Service ingress-nginx/ingress-nginx',
  ],
  'kubernetes__ingress-nginx/deploy__static__provider__kind__deploy.yaml': [
    'warning source-ip/etp-cluster Service ingress-nginx/ingress-nginx-controller',
  ],
  'kubernetes__website/content__en__examples__service__access__frontend-service.yaml': [
    'warning source-ip/etp-cluster Service default/frontend',
  ],
  'kubernetes__website/content__en__examples__service__networking__dual-stack-ipv6-lb-svc.yaml': [
    'warning source-ip/etp-cluster Service default/my-service',
  ],
  'kubernetes__website/content__en__examples__service__networking__dual-stack-prefer-ipv6-lb-svc.yaml': [
    'warning source-ip/etp-cluster Service default/my-service',
  ],
  'kubernetes__website/content__en__examples__service__networking__example-ingress.yaml': [
    'info ingress/retired-controller Ingress default/example-ingress',
  ],
  'kubernetes__website/content__en__examples__service__networking__nginx-secure-app.yaml': [
    'warning source-ip/etp-cluster Service default/my-nginx',
  ],
  'metallb__metallb/configsamples__deployment_bgp.yaml': ['warning source-ip/etp-cluster Service default/nginx'],
  'metallb__metallb/configsamples__deployment_l2.yaml': ['warning source-ip/etp-cluster Service default/nginx'],
};

/** The two parts of the corpus that are not complete as files (see docs/diagnose-corpus.md). */
const INCOMPLETE = new Set([
  'cilium__cilium/contrib__containerlab__bgpv2__lb-ipam-gateway-api__gateway-blue.yaml',
  'kubernetes-sigs__gateway-api/conformance__tests__httproute-service-types.yaml',
]);

const files = readdirSync(CORPUS)
  .filter((d) => d.includes('__'))
  .sort()
  .flatMap((repo) =>
    readdirSync(join(CORPUS, repo))
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => `${repo}/${f}`),
  );

describe('analyzers over the shared corpus', () => {
  test('the corpus is there', () => {
    expect(files.length).toBe(77);
  });

  test.each(files)('%s', async (file) => {
    const findings = await findingsOf([join(CORPUS, file)]);
    expect(findings.map(line).sort()).toEqual([...(PER_FILE[file] ?? [])].sort());
    if (!INCOMPLETE.has(file)) expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(
      schemaErrors('diagnosis-report.schema.json', {
        apiVersion: 'exposectl.dev/v1alpha1',
        kind: 'DiagnosisReport',
        findings,
      }),
    ).toEqual([]);
  });

  // Read together, a folder of independent examples is one input: the ingress-nginx
  // alternatives clash, and references one example makes to objects of a kind that other
  // examples hold in the same namespace are dangling (docs/diagnose-corpus.md judges each).
  test('each repository folder read together adds the alternatives clash and the dangling references between examples', async () => {
    const extra: string[] = [];
    for (const repo of [...new Set(files.map((f) => f.split('/')[0]!))]) {
      const together = (await findingsOf([join(CORPUS, repo)])).map(line);
      const alone = new Set(files.filter((f) => f.startsWith(`${repo}/`)).flatMap((f) => PER_FILE[f] ?? []));
      extra.push(...together.filter((l) => !alone.has(l)).map((l) => `${repo}: ${l}`));
    }
    expect(extra).toEqual([
      'kube-vip__kube-vip: error endpoints/selector-matches-nothing Service default/nginx-interface-ens192-service',
      'kube-vip__kube-vip: error endpoints/selector-matches-nothing Service default/nginx-service',
      'kubernetes__ingress-nginx: error hostnetwork/port-conflict Deployment ingress-nginx/ingress-nginx-controller',
      'kubernetes__website: error ingress/backend-missing GRPCRoute default/example-grpcroute',
      'kubernetes__website: error ingress/backend-missing HTTPRoute default/example-httproute',
      'kubernetes__website: error ingress/backend-missing Ingress default/example-ingress',
      'kubernetes__website: error ingress/no-controller Ingress default/example-ingress',
      'kubernetes__website: error ingress/backend-missing Ingress default/minimal-ingress',
      'kubernetes__website: error ingress/no-controller Ingress default/minimal-ingress',
      'kubernetes__website: error ingress/backend-missing Ingress default/name-virtual-host-ingress',
      'kubernetes__website: error ingress/backend-missing Ingress default/name-virtual-host-ingress',
      'kubernetes__website: error ingress/backend-missing Ingress default/simple-fanout-example',
      'kubernetes__website: error ingress/backend-missing Ingress default/simple-fanout-example',
      'kubernetes__website: error ingress/backend-missing Ingress default/tls-example-ingress',
    ]);
  });

  test('the whole corpus as one input', async () => {
    const findings = await findingsOf([CORPUS]);
    expect(findings.map(line)).toEqual([
      'error ingress/backend-missing GRPCRoute default/example-grpcroute',
      'error ingress/backend-missing GRPCRoute default/grpc-app-1',
      'error ingress/backend-missing GRPCRoute default/grpc-app-1',
      'error ingress/backend-missing HTTPRoute default/example-httproute',
      'error ingress/backend-missing HTTPRoute default/foo',
      'error ingress/backend-missing HTTPRoute default/http-app-1',
      'error ingress/backend-missing HTTPRoute default/http-app-1',
      'error gateway/route-not-attached HTTPRoute default/httproute-blue',
      'error ingress/backend-missing HTTPRoute default/httproute-blue',
      'error ingress/backend-missing HTTPRoute default/httproute-blue',
      'error ingress/backend-missing Ingress default/example-ingress',
      'info ingress/retired-controller Ingress default/example-ingress',
      'error ingress/backend-missing Ingress default/minimal-ingress',
      'error ingress/no-controller Ingress default/minimal-ingress',
      'error ingress/backend-missing Ingress default/name-virtual-host-ingress',
      'error ingress/backend-missing Ingress default/name-virtual-host-ingress',
      'error ingress/backend-missing Ingress default/simple-fanout-example',
      'error ingress/backend-missing Ingress default/simple-fanout-example',
      'error ingress/backend-missing Ingress default/tls-example-ingress',
      'error endpoints/selector-matches-nothing Service default/frontend',
      'warning source-ip/etp-cluster Service default/frontend',
      'warning source-ip/etp-cluster Service default/my-nginx',
      'error endpoints/selector-matches-nothing Service default/my-service',
      'warning source-ip/etp-cluster Service default/nginx',
      'warning source-ip/etp-cluster Service default/nginx-interface-ens192-service',
      'error ingress/backend-missing TCPRoute default/destination-port-matching-example',
      'error ingress/backend-missing TCPRoute default/tcp-app-1',
      'warning source-ip/proxy-protocol-missing TCPRoute default/tcp-app-1',
      'error ingress/backend-missing TCPRoute default/tcp-app-2',
      'warning source-ip/proxy-protocol-missing TCPRoute default/tcp-app-2',
      'error ingress/backend-missing TLSRoute default/example-route',
      'warning source-ip/proxy-protocol-missing TLSRoute default/example-route',
      'error ingress/backend-missing TLSRoute default/foo-route',
      'warning source-ip/proxy-protocol-missing TLSRoute default/foo-route',
      'error ingress/backend-missing UDPRoute default/udp-app-1',
      'warning source-ip/proxy-protocol-missing UDPRoute default/udp-app-1',
      'error ingress/backend-missing UDPRoute default/udp-app-2',
      'warning source-ip/proxy-protocol-missing UDPRoute default/udp-app-2',
      'error endpoints/none-ready Service gateway-conformance-infra/headless-manual-endpointslices',
      'error endpoints/none-ready Service gateway-conformance-infra/manual-endpointslices',
      'warning source-ip/etp-cluster Service haproxy-controller/haproxy-kubernetes-ingress',
      'error hostnetwork/port-conflict DaemonSet ingress-controller/haproxy-ingress',
      'error hostnetwork/port-conflict Deployment ingress-nginx/ingress-nginx-controller',
      'error hostnetwork/port-conflict Deployment ingress-nginx/ingress-nginx-controller',
      'warning source-ip/etp-cluster Service ingress-nginx/ingress-nginx',
      'warning source-ip/etp-cluster Service ingress-nginx/ingress-nginx-controller',
      'warning source-ip/etp-cluster Service tenant-red/lb-service-red',
      'warning source-ip/etp-cluster Service tenant-red/service-red',
    ]);
    expect(
      schemaErrors('diagnosis-report.schema.json', {
        apiVersion: 'exposectl.dev/v1alpha1',
        kind: 'DiagnosisReport',
        findings,
      }),
    ).toEqual([]);
  });

  test('the DigitalOcean ingress-nginx deploy is consistent: the LB sends PROXY and nginx expects it', async () => {
    const findings = await findingsOf([
      join(CORPUS, 'kubernetes__ingress-nginx/deploy__static__provider__do__deploy.yaml'),
    ]);
    expect(findings).toEqual([]);
  });

  test('the cilium route attaches when the file is applied to the Gateway namespace (-n tenant-blue)', async () => {
    const snapshot = await readManifests(
      [join(CORPUS, 'cilium__cilium/contrib__containerlab__bgpv2__lb-ipam-gateway-api__gateway-blue.yaml')],
      { defaultNamespace: 'tenant-blue' },
    );
    expect(runAnalyzers({ snapshot, ctx: buildContext(snapshot), probes: {} }, clock).findings).toEqual([]);
  });
});
