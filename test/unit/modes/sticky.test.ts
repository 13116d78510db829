// --sticky in every mode: what keeps a client on one Pod, and where (issue 17 point 3).
// The manifests are in the goldens of each mode; this file holds the choices between them.
import { describe, expect, it } from 'vitest';
import type { ExposeFacts, ExposeSpec } from '../../../src/modes/index.js';
import {
  INGRESS_STICKY,
  ingressSticky,
  kubeProxyStickyNote,
  sessionPersistence,
  stickyCookieName,
} from '../../../src/modes/sticky.js';
import { bgpad, expectOK, named, peer, pool, svc } from './helpers.js';

const web = svc('web');

describe('modes where kube-proxy picks the Pod: ClientIP affinity and what it needs', () => {
  const lbFacts: ExposeFacts = {
    services: [web],
    pools: [pool('p', ['203.0.113.0/28'])],
    l2Advertisements: [],
    bgpAdvertisements: [bgpad('p', ['p'])],
    bgpPeers: [peer('tor1', '192.0.2.254', 64500, 64512)],
  };
  const cases: Array<{ mode: ExposeSpec['mode']; extra: Partial<ExposeSpec>; note: RegExp }> = [
    { mode: 'nodeport', extra: {}, note: /keeps its Pod for 600s while it uses the same node's address/ },
    { mode: 'l2', extra: { pool: 'p' }, note: /one node announces the address.*600s.*failover/ },
    { mode: 'bgp', extra: { pool: 'p' }, note: /ECMP must hash on addresses only/ },
  ];
  for (const c of cases) {
    it(`${c.mode}: sessionAffinity ClientIP with the timeout, and a note on entry nodes`, () => {
      const { manifests, notes } = expectOK(
        { service: web, mode: c.mode, sticky: true, stickyTimeout: 600, ...c.extra },
        lbFacts,
      );
      const published = manifests.find((m) => m.kind === 'Service')!;
      expect(published.spec).toMatchObject({
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      });
      expect(notes.join('\n')).toMatch(c.note);
    });
  }

  it('no note without --sticky, and none for proxy modes', () => {
    expect(kubeProxyStickyNote({ service: web, mode: 'bgp' })).toBeUndefined();
    expect(kubeProxyStickyNote({ service: web, mode: 'ingress', sticky: true })).toBeUndefined();
  });
});

describe("ingress: the controller's cookie affinity", () => {
  const facts: ExposeFacts = {
    ingressClasses: [
      named('IngressClass', 'nginx', undefined, { spec: { controller: 'k8s.io/ingress-nginx' } }),
      named('IngressClass', 'traefik', undefined, { spec: { controller: 'traefik.io/ingress-controller' } }),
    ],
  };
  it('ingress-nginx: annotations on the Ingress, max-age from --sticky-timeout', () => {
    const plan = ingressSticky({ service: web, mode: 'ingress', sticky: true, stickyTimeout: 900 }, facts, 'nginx');
    expect(plan).toMatchObject({ ok: true, controller: { on: 'ingress' } });
    if (!plan.ok) return;
    expect(plan.annotations['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');
    expect(plan.annotations['nginx.ingress.kubernetes.io/session-cookie-max-age']).toBe('900');
    expect(plan.annotations['nginx.ingress.kubernetes.io/session-cookie-name']).toBe('web-session');
  });
  it('Traefik: annotations on the Service, applied as an in-place patch', () => {
    const spec: ExposeSpec = {
      service: web,
      mode: 'ingress',
      sticky: true,
      inPlace: true,
      ingressClass: 'traefik',
      port: 'http',
    };
    const { manifests } = expectOK(spec, { ...facts, services: [web] });
    const patch = manifests.find((m) => m.kind === 'Service')!;
    expect(patch.metadata.labels).toBeUndefined();
    expect(patch.metadata.annotations).toMatchObject({
      'traefik.ingress.kubernetes.io/service.sticky.cookie': 'true',
      'traefik.ingress.kubernetes.io/service.sticky.cookie.maxage': '10800',
      'exposectl.dev/in-place': 'ingress',
    });
    expect(patch.spec).toBeUndefined();
  });
  it('every known controller puts the timeout and the cookie name in its annotations', () => {
    for (const c of Object.values(INGRESS_STICKY)) {
      const values = Object.values(c.annotations('web-session', 1234));
      expect(values).toContain('1234');
      expect(values).toContain('web-session');
    }
  });
});

describe('gateway: HTTPRoute sessionPersistence', () => {
  it('a permanent cookie lives --sticky-timeout (absoluteTimeout is required for a permanent cookie)', () => {
    const spec: ExposeSpec = { service: web, mode: 'gateway', sticky: true, stickyTimeout: 86400 };
    expect(sessionPersistence(spec)).toEqual({
      sessionName: 'web-session',
      type: 'Cookie',
      absoluteTimeout: '86400s',
      cookieConfig: { lifetimeType: 'Permanent' },
    });
    // Gateway API Duration: at most 5 digits per unit.
    expect(String(sessionPersistence(spec).absoluteTimeout)).toMatch(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/);
    expect(stickyCookieName(spec)).toBe('web-session');
  });
});
