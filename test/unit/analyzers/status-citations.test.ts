// #16 point 10: what the implementations already wrote in status is cited in the finding it
// explains (route and listener conditions), and a controller's published address counts.
import { expect, test } from 'vitest';
import { backendRule, diagnose, gateway, ingress, ingressClass, route, secret, snapshotOf } from './helpers.js';

test("a route's Accepted=False is cited next to the cause exposectl found", () => {
  const [f] = diagnose(
    snapshotOf([
      gateway('gw', { gatewayClassName: 'eg' }),
      route(
        'HTTPRoute',
        'r',
        { parentRefs: [{ name: 'gw', sectionName: 'https' }], rules: [] },
        {},
        {
          parents: [
            {
              parentRef: { name: 'gw', sectionName: 'https' },
              conditions: [
                { type: 'Accepted', status: 'False', reason: 'NoMatchingParent', message: 'no listener https' },
              ],
            },
          ],
        },
      ),
    ]),
    { check: 'gateway' },
  );
  expect(f!.message).toContain('(status: parent gw reports Accepted=False (NoMatchingParent: no listener https))');
});

test("a listener's ResolvedRefs=False is cited for its missing certificate", () => {
  const findings = diagnose(
    snapshotOf([
      secret('other'),
      gateway(
        'gw',
        {
          gatewayClassName: 'eg',
          listeners: [
            {
              name: 'https',
              protocol: 'HTTPS',
              port: 443,
              tls: { certificateRefs: [{ kind: 'Secret', name: 'tls' }] },
            },
          ],
        },
        {},
        {
          listeners: [
            { name: 'https', conditions: [{ type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef' }] },
          ],
        },
      ),
    ]),
    { check: 'ingress' },
  );
  const f = findings.find((x) => x.code === 'ingress/tls-secret-missing')!;
  expect(f.message).toContain('(status: listener https reports ResolvedRefs=False (InvalidCertificateRef))');
});

test('an Ingress whose controller published an address is not reported unserved by the flags in the input', () => {
  const objects = (status?: Record<string, unknown>) => [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ctrl', namespace: 'ingress' },
      spec: {
        selector: { matchLabels: { app: 'c' } },
        template: {
          metadata: { labels: { app: 'c' } },
          spec: { containers: [{ name: 'c', image: 'registry.k8s.io/ingress-nginx/controller:v1.9.4' }] },
        },
      },
    },
    ingressClass('nginx', 'k8s.io/ingress-nginx'),
    ingress('app', { rules: [backendRule('app')] }, { namespace: 'web' }, status),
  ];
  const codes = (status?: Record<string, unknown>) =>
    diagnose(snapshotOf(objects(status) as never), { check: 'ingress' })
      .filter((f) => f.code === 'ingress/no-controller')
      .map((f) => f.message);
  expect(codes({ loadBalancer: {} })[0]).toContain('its status has no address: no controller published one');
  expect(codes({ loadBalancer: { ingress: [{ ip: '192.0.2.7' }] } })).toEqual([]);
});
