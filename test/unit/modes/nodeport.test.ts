import { describe, expect, it } from 'vitest';
import type { ExposeFacts, ExposeSpec } from '../../../src/modes/index.js';
import { expectGolden, expectOK, expectOwnedLabels, expectProblem, type ProblemCase, svc } from './helpers.js';

const web = svc('web', {
  ports: [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'metrics', port: 9090 },
  ],
});
const base: ExposeSpec = { service: web, mode: 'nodeport' };
const other = svc('other', { namespace: 'db', type: 'NodePort', ports: [{ port: 5432, nodePort: 30080 }] });
const otherUDP = svc('dns', {
  namespace: 'kube-system',
  type: 'NodePort',
  ports: [{ port: 53, protocol: 'UDP', nodePort: 30081 }],
});
const facts: ExposeFacts = { services: [web, other, otherUDP] };

describe('nodeport manifests (golden)', () => {
  const cases: Array<{ name: string; spec: Partial<ExposeSpec>; facts?: ExposeFacts }> = [
    { name: 'default', spec: {} },
    { name: 'fixed-node-port', spec: { nodePort: 30081, port: 'http' }, facts: { services: [web, other] } },
    { name: 'preserve-sticky', spec: { preserveSourceIP: true, sticky: true, stickyTimeout: 600 } },
    {
      name: 'in-place',
      spec: { inPlace: true, nodePort: 31000, port: 80, preserveSourceIP: true, sticky: true },
      facts,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { manifests } = expectOK({ ...base, ...c.spec }, c.facts);
      expectOwnedLabels(manifests, 'web');
      expectGolden(`nodeport/${c.name}`, manifests);
    });
  }

  it('sticky without timeout uses 10800 seconds', () => {
    const { manifests } = expectOK({ ...base, sticky: true });
    expect(manifests[0]!.spec?.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });

  it('is pure: same input, same output, input untouched', () => {
    const before = JSON.stringify(web);
    const a = expectOK({ ...base, nodePort: 30100, port: 'http' }, facts);
    const b = expectOK({ ...base, nodePort: 30100, port: 'http' }, facts);
    expect(a).toEqual(b);
    expect(JSON.stringify(web)).toBe(before);
  });

  it('running again over its own Service is not a collision (idempotent)', () => {
    const [gen] = expectOK({ ...base, nodePort: 30100, port: 'http' }).manifests;
    expectOK({ ...base, nodePort: 30100, port: 'http' }, { services: [web, gen as never] });
  });

  it('a long Service name is cut to 63 characters with a stable hash', () => {
    const long = svc('a'.repeat(60));
    const [gen] = expectOK({ service: long, mode: 'nodeport' }).manifests;
    expect(gen!.metadata.name!.length).toBeLessThanOrEqual(63);
    expect(gen!.metadata.name).toMatch(/^a+-[0-9a-f]{8}$/);
  });
});

describe('nodeport problems', () => {
  const cases: ProblemCase[] = [
    {
      name: 'below range',
      spec: { nodePort: 80, port: 'http' },
      field: 'nodePort',
      message: "outside the cluster's NodePort range 30000-32767",
      code: 'nodeport/out-of-range',
    },
    {
      name: 'custom range',
      spec: { nodePort: 30500, port: 'http' },
      facts: { nodePortRange: { min: 31000, max: 31999 } },
      field: 'nodePort',
      message: 'range 31000-31999',
      code: 'nodeport/out-of-range',
    },
    { name: 'not an integer', spec: { nodePort: 30000.5, port: 'http' }, field: 'nodePort', message: 'outside' },
    {
      name: 'collision',
      spec: { nodePort: 30080, port: 'http' },
      facts,
      field: 'nodePort',
      message: 'already allocated to db/other',
      code: 'nodeport/collision',
    },
    {
      name: 'collision across protocols (kube-apiserver allocates by number)',
      spec: { nodePort: 30081, port: 'http' },
      facts,
      field: 'nodePort',
      message: 'already allocated to kube-system/dns (port 53/UDP',
      code: 'nodeport/collision',
    },
    {
      name: 'collision with the user Service itself',
      spec: { nodePort: 30090, port: 'http' },
      facts: { services: [svc('web', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30090 }] })] },
      field: 'nodePort',
      message: 'shop/web',
    },
    { name: 'several ports, no --port', spec: { nodePort: 30100 }, field: 'port', message: 'has 2 ports' },
    { name: 'unknown port', spec: { nodePort: 30100, port: 'grpc' }, field: 'port', message: 'has no port grpc' },
    { name: '--port without --node-port', spec: { port: 'http' }, field: 'port', message: 'give --node-port too' },
    {
      name: 'no selector',
      spec: { service: svc('web', { selector: null }) },
      field: 'inPlace',
      message: 'has no selector',
    },
    {
      name: 'ExternalName',
      spec: { service: svc('web', { type: 'ExternalName' }) },
      field: 'service',
      message: 'ExternalName',
    },
    { name: 'no ports', spec: { service: svc('web', { ports: [] }) }, field: 'service', message: 'has no ports' },
    {
      name: 'not a Service',
      spec: { service: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } } as never },
      field: 'service',
      message: 'expected a Service',
    },
    {
      name: 'collision with a healthCheckNodePort',
      spec: { nodePort: 31500, port: 'http' },
      facts: {
        services: [
          {
            ...svc('lb', { type: 'LoadBalancer', etp: 'Local' }),
            spec: {
              type: 'LoadBalancer',
              externalTrafficPolicy: 'Local',
              healthCheckNodePort: 31500,
              ports: [{ port: 443, nodePort: 31443 }],
            },
          } as never,
        ],
      },
      field: 'nodePort',
      message: 'as its healthCheckNodePort',
      code: 'nodeport/collision',
    },
    {
      name: 'in place on a LoadBalancer',
      spec: { inPlace: true, service: svc('web', { type: 'LoadBalancer' }) },
      field: 'inPlace',
      message: 'would turn it into a NodePort Service',
    },
    {
      name: 'option of another mode',
      spec: { pool: 'p' },
      field: 'pool',
      message: '--pool does not apply to mode nodeport (only l2, bgp)',
    },
    {
      name: 'Service without a name',
      spec: {
        service: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {},
          spec: { selector: { a: 'b' }, ports: [{ port: 1 }] },
        } as never,
      },
      field: 'service',
      message: 'has no metadata.name',
    },
    {
      name: 'sticky timeout without sticky',
      spec: { stickyTimeout: 60 },
      field: 'stickyTimeout',
      message: 'needs --sticky',
    },
    {
      name: 'sticky timeout too long',
      spec: { sticky: true, stickyTimeout: 90000 },
      field: 'stickyTimeout',
      message: '1..86400',
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      expectProblem(base, c);
    });
});
