// Properties over many option combinations: planning never throws, problems and
// manifests never come together, every generated object is labelled (in-place patches
// never are), the same input always gives the same output, and what the options alone
// are refused for (before any request) planning refuses too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPTION_MODES } from '../../../src/modes/common.js';
import {
  EXPOSE_MODES,
  type ExposeFacts,
  type ExposeOptions,
  type ExposeSpec,
  optionProblems,
  planExpose,
} from '../../../src/modes/index.js';
import { bgpad, daemonSet, l2ad, named, node, peer, pool, svc } from './helpers.js';

const services = [
  svc('web'),
  svc('dns', {
    ports: [
      { name: 'dns-tcp', port: 53 },
      { name: 'dns-udp', port: 53, protocol: 'UDP' },
    ],
  }),
  svc('app', {
    ports: [
      { name: 'http', port: 80 },
      { name: 'https', port: 443 },
      { name: 'pg', port: 5432 },
    ],
  }),
  svc('bare', { selector: null, ports: [{ port: 8080 }] }),
  svc('lb', { type: 'LoadBalancer', ip: '198.51.100.3', annotations: { 'metallb.io/allow-shared-ip': 'k' } }),
];
const facts: ExposeFacts = {
  services,
  nodes: [node('n1', { edge: 'true' }), node('n2')],
  ingressClasses: [named('IngressClass', 'traefik')],
  secrets: [named('Secret', 'tls', 'shop')],
  gatewayClasses: [named('GatewayClass', 'eg')],
  gateways: [],
  pools: [pool('public', ['198.51.100.0/29'])],
  l2Advertisements: [l2ad('public', ['public'])],
  bgpAdvertisements: [bgpad('public', ['public'])],
  bgpPeers: [peer('tor', '192.0.2.254', 64500, 64512)],
  hostWorkloads: [daemonSet('x', 'y', { hostNetwork: true, ports: [{ containerPort: 9100 }] })],
};

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const specArb: fc.Arbitrary<ExposeSpec> = fc.record(
  {
    service: fc.constantFrom(...services),
    mode: fc.constantFrom(...EXPOSE_MODES),
    port: opt(fc.constantFrom<number | string>(80, 'http', 'pg', 53, 9999)),
    nodePort: opt(fc.constantFrom(30080, 80, 32767)),
    host: opt(fc.constantFrom('a.example.com', 'Bad_Host')),
    ingressClass: opt(fc.constantFrom('traefik', 'nope')),
    tlsSecret: opt(fc.constantFrom('tls', 'nope')),
    pool: opt(fc.constantFrom('public', 'nope')),
    addresses: opt(fc.constantFrom(['203.0.113.0/28'], ['198.51.100.4-198.51.100.9'], ['bad'], ['2001:db8::/120'])),
    ip: opt(fc.constantFrom('198.51.100.3', '198.51.100.5', '203.0.113.4', 'x')),
    interfaces: opt(fc.constantFrom(['eth0'], ['bad/if'])),
    peer: opt(fc.constantFrom('192.0.2.1', '192.0.2.254')),
    peerASN: opt(fc.constantFrom(64500, 0)),
    myASN: opt(fc.constantFrom(64512)),
    communities: opt(fc.constantFrom(['65000:1'], ['x:y'])),
    localPref: opt(fc.constantFrom(100)),
    aggregationLength: opt(fc.constantFrom(24, 28, 32, 64)),
    shareIP: opt(fc.constantFrom('k', 'other')),
    nodeSelector: opt(fc.constantFrom({ edge: 'true' }, { none: 'x' })),
    gatewayImpl: opt(fc.constantFrom<'haproxy' | 'nginx'>('haproxy', 'nginx')),
    gateway: opt(fc.constantFrom('shared')),
    gatewayClass: opt(fc.constantFrom('eg')),
    preserveSourceIP: opt(fc.boolean()),
    sticky: opt(fc.boolean()),
    stickyTimeout: opt(fc.constantFrom(60, 100000)),
    inPlace: opt(fc.boolean()),
  },
  { requiredKeys: ['service', 'mode'] },
) as fc.Arbitrary<ExposeSpec>;

describe('planExpose properties', () => {
  for (const [label, f] of [
    ['with cluster facts', facts],
    ['without facts', {}],
  ] as const) {
    it(label, () => {
      let ok = 0;
      fc.assert(
        fc.property(specArb, (spec) => {
          // Mostly the mode's own options (so valid plans are reached), sometimes a stray one.
          const stray = spec.port === 9999;
          const clean = Object.fromEntries(
            Object.entries(spec).filter(
              ([k, v]) =>
                v !== undefined &&
                (stray || !(k in OPTION_MODES) || OPTION_MODES[k as keyof ExposeOptions]!.includes(spec.mode)),
            ),
          ) as unknown as ExposeSpec;
          const plan = planExpose(clean, f);
          if (plan.problems.length > 0) {
            expect(plan.manifests).toEqual([]);
            for (const p of plan.problems) expect(p.message.length).toBeGreaterThan(0);
          } else {
            expect(plan.manifests.length).toBeGreaterThan(0);
            for (const o of plan.manifests) {
              const inPlace = o.metadata.annotations?.['exposectl.dev/in-place'] !== undefined;
              expect(o.metadata.labels?.['app.kubernetes.io/managed-by']).toBe(inPlace ? undefined : 'exposectl');
              if (inPlace) expect(o.metadata.name).toBe(clean.service.metadata.name);
            }
          }
          expect(JSON.stringify(planExpose(clean, f))).toBe(JSON.stringify(plan));
          // What expose refuses before any request, planning refuses too (same words).
          const { service: _service, ...options } = clean;
          if (!plan.problems.some((p) => p.field === 'service')) {
            for (const p of optionProblems(options)) expect(plan.problems).toContainEqual(p);
          }
          if (plan.problems.length === 0) ok++;
        }),
        { numRuns: 400, seed: 4 },
      );
      // The generator reaches valid plans too, not only refusals.
      expect(ok).toBeGreaterThan(10);
    });
  }
});
