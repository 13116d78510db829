// The reach analyzer over probe facts: one finding per way in and problem, named by how it
// failed; a Local-policy node without endpoints named as the cause of its time-out; TLS
// name, validity (against the clock passed in) and trust; 5xx; partial failure; a sticky
// Service that spread one client. Runs through the registry as `diagnose` would.
import { describe, expect, it } from 'vitest';
import { reachFindings } from '../../../src/analyzers/probe-reach.js';
import { runAnalyzers } from '../../../src/analyzers/registry.js';
import { buildContext } from '../../../src/discover/context.js';
import type { ReachProbe, ReachResult, ReachTarget, TlsDetails } from '../../../src/model/reach.js';
import { emptySnapshot } from '../../../src/model/snapshot.js';
import { clock } from './helpers.js';

const target = (label: string, more: Partial<ReachTarget> = {}): ReachTarget => ({
  label,
  address: '192.0.2.11',
  port: 30080,
  scheme: 'tcp',
  ...more,
});

function result(t: ReachTarget, more: Partial<ReachResult> = {}): ReachResult {
  return {
    target: t,
    first: { outcome: 'connected', connectMs: 1, totalMs: 2, localAddress: '192.0.2.10' },
    outcomes: { connected: 1 },
    statuses: {},
    connectMs: { min: 1, median: 1, max: 1 },
    pods: {},
    unnamed: 0,
    ...more,
  };
}

const failed = (t: ReachTarget, outcome: 'refused' | 'timed-out' | 'reset' | 'unreachable', n = 1) =>
  result(t, {
    first: { outcome, connectMs: null, totalMs: 5, localAddress: null, error: 'x' },
    outcomes: { [outcome]: n },
    connectMs: null,
  });

const probe = (results: ReachResult[], more: Partial<ReachProbe> = {}): ReachProbe => ({
  apiVersion: 'exposectl.dev/v1alpha1',
  kind: 'ReachProbe',
  service: { namespace: 'shop', name: 'web' },
  sticky: false,
  readyEndpoints: 1,
  knownPods: null,
  count: 1,
  timeoutMs: 2000,
  skipped: [],
  results,
  startedAt: '2026-11-27T12:00:00.000Z',
  at: '2026-11-27T12:00:01.000Z',
  ...more,
});

const TLS: TlsDetails = {
  protocol: 'TLSv1.3',
  trusted: true,
  trustError: null,
  nameMatches: true,
  subject: 'shop.example.com',
  altNames: ['shop.example.com'],
  issuer: 'Lab CA',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
};
const https = target('Ingress https://shop.example.com/', {
  scheme: 'https',
  port: 443,
  host: 'shop.example.com',
  path: '/',
});
const ok = (t: ReachTarget, tls: Partial<TlsDetails> = {}) =>
  result(t, {
    first: {
      outcome: 'connected',
      connectMs: 1,
      totalMs: 2,
      localAddress: null,
      tls: { ...TLS, ...tls },
      http: { status: 200, body: '' },
    },
    statuses: { '200': 1 },
  });

const codes = (p: ReachProbe) => reachFindings(p, clock).map((f) => [f.code, f.subject.name]);

describe('reach findings', () => {
  it('a way in that answers as it should gives none', () => {
    expect(codes(probe([ok(https)]))).toEqual([]);
  });

  it('refused, timed out, reset, unreachable: each its own code, about the object of the way in', () => {
    const obj = { kind: 'Service', namespace: 'shop', name: 'web' };
    const f = reachFindings(
      probe([
        failed(target('a', { object: obj }), 'refused'),
        failed(target('b'), 'timed-out'),
        failed(target('c'), 'reset'),
        failed(target('d'), 'unreachable'),
      ]),
      clock,
    );
    expect(f.map((x) => [x.code, x.severity])).toEqual([
      ['reach/refused', 'error'],
      ['reach/timed-out', 'error'],
      ['reach/reset', 'error'],
      ['reach/unreachable', 'error'],
    ]);
    expect(f[0]!.subject).toEqual(obj);
    expect(f[1]!.message).toBe('b (192.0.2.11:30080): no connection within 2000 ms.');
  });

  it('a time-out on a Local-policy node without endpoints names the blackhole as its cause', () => {
    const [f] = reachFindings(
      probe(
        [failed(target('nodePort node-2 192.0.2.12:30080', { node: 'node-2', localEndpoints: 0 }), 'timed-out', 3)],
        {
          count: 3,
        },
      ),
      clock,
    );
    expect(f!.message).toMatch(
      /in 3 of 3 tries; node node-2 has no ready endpoint of the Service and externalTrafficPolicy is Local/,
    );
    expect(f!.fix).toMatch(/externalTrafficPolicy: Cluster/);
  });

  it('refused by every node of a Service without a ready endpoint: kube-proxy rejects, said so', () => {
    const svc = { kind: 'Service', namespace: 'shop', name: 'web' };
    const [f] = reachFindings(
      probe([failed(target('nodePort n1 192.0.2.11:30080', { via: 'nodeport', object: svc }), 'refused')], {
        readyEndpoints: 0,
      }),
      clock,
    );
    expect(f!.message).toBe(
      'nodePort n1 192.0.2.11:30080 refused the connection: the Service has no ready endpoint, and kube-proxy rejects connections to such a Service (endpoints/none-ready).',
    );
    expect(f!.fix).toMatch(/^Make a Pod of the Service ready/);
  });

  it('an explicit target without a Service: the address is the subject', () => {
    const f = reachFindings(probe([failed(target('192.0.2.11:30080'), 'refused')], { service: null }), clock);
    expect(f[0]!.subject).toEqual({ kind: 'Address', namespace: null, name: '192.0.2.11:30080' });
  });

  it('TLS: a wrong name, an expired certificate (by the clock given), an untrusted one', () => {
    expect(
      codes(
        probe([
          ok(https, {
            nameMatches: false,
            trusted: false,
            subject: 'other.example.com',
            altNames: ['other.example.com'],
          }),
        ]),
      ),
    ).toEqual([['reach/tls-name-mismatch', 'web']]);
    expect(
      codes(
        probe([ok(https, { validTo: '2026-11-01T00:00:00.000Z', trusted: false, trustError: 'CERT_HAS_EXPIRED' })]),
      ),
    ).toEqual([['reach/tls-expired', 'web']]);
    expect(codes(probe([ok(https, { validFrom: '2026-12-01T00:00:00.000Z' })]))).toEqual([
      ['reach/tls-expired', 'web'],
    ]);
    const [u] = reachFindings(probe([ok(https, { trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' })]), clock);
    expect([u!.code, u!.severity]).toEqual(['reach/tls-untrusted', 'warning']);
    expect(u!.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('connected without an answer; 5xx answers; a way in that fails some tries', () => {
    const http = target('http://198.51.100.10/', { scheme: 'http', port: 80, path: '/' });
    expect(
      codes(
        probe([
          result(http, {
            first: {
              outcome: 'connected',
              connectMs: 1,
              totalMs: 2000,
              localAddress: null,
              error: 'no answer within 2000 ms',
            },
          }),
        ]),
      ),
    ).toEqual([['reach/no-answer', 'web']]);
    const f = reachFindings(
      probe([result(http, { outcomes: { connected: 8, 'timed-out': 2 }, statuses: { '200': 6, '503': 2 } })], {
        count: 10,
      }),
      clock,
    );
    expect(f.map((x) => x.code)).toEqual(['reach/intermittent', 'reach/http-error']);
    expect(f[0]!.message).toBe('http://198.51.100.10/ failed in 2 of 10 tries (timed-out 2) and connected in 8.');
    expect(f[1]!.message).toContain('answered 503 (2 of 10)');
  });

  it('sessionAffinity ClientIP and several Pods answering one client: not sticky; one Pod, or no affinity: nothing', () => {
    const http = target('LoadBalancer 198.51.100.10:80', { scheme: 'http', port: 80 });
    const spread = result(http, {
      outcomes: { connected: 20 },
      statuses: { '200': 20 },
      pods: { 'web-1': 12, 'web-2': 8 },
    });
    expect(codes(probe([spread], { sticky: true, count: 20 }))).toEqual([['reach/not-sticky', 'web']]);
    expect(codes(probe([spread], { sticky: false, count: 20 }))).toEqual([]);
    expect(codes(probe([{ ...spread, pods: { 'web-1': 20 } }], { sticky: true, count: 20 }))).toEqual([]);
  });

  it('runs in the registry on reachProbe facts, and is skipped without them', () => {
    const snapshot = emptySnapshot({ kind: 'files', description: 'test' });
    const facts = {
      snapshot,
      ctx: buildContext(snapshot),
      probes: { reachProbe: [probe([failed(target('a'), 'refused')])] },
    };
    const r = runAnalyzers(facts, clock, { check: 'reach' });
    expect(r.ran).toEqual(['reach-probe']);
    expect(r.findings.map((f) => f.code)).toEqual(['reach/refused']);
    expect(runAnalyzers({ ...facts, probes: {} }, clock, { check: 'reach' }).skipped.map((s) => s.analyzer)).toEqual([
      'reach-probe',
    ]);
  });
});
