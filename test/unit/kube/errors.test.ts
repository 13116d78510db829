import { describe, expect, test } from 'vitest';
import {
  KubeApiError,
  KubeAuthError,
  KubeTimeoutError,
  mapKubeError,
  type RequestDescription,
} from '../../../src/kube/errors.js';
import { RuntimeError, UsageError } from '../../../src/util/errors.js';

const req: RequestDescription = {
  verb: 'list',
  resource: 'services',
  namespace: 'shop',
  namespaced: true,
  server: 'https://10.0.0.1:6443',
  contextName: 'prod',
  userName: 'alice',
  timeoutMs: 5000,
};
const sysErr = (code: string, message = code) => Object.assign(new Error(message), { code });
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
const api = (status: number, message?: string) =>
  new KubeApiError(status, undefined, message, { kind: 'Status', message }, '/api/v1/namespaces/shop/services');

describe('mapKubeError', () => {
  test.each([
    [
      fetchFailed(sysErr('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:6443')),
      'cannot reach the API server at https://10.0.0.1:6443: connection refused',
    ],
    [fetchFailed(sysErr('ENOTFOUND')), 'cannot reach the API server at https://10.0.0.1:6443: host not found (DNS)'],
    [fetchFailed(sysErr('EHOSTUNREACH')), 'cannot reach the API server at https://10.0.0.1:6443: host unreachable'],
    [
      fetchFailed(sysErr('UND_ERR_CONNECT_TIMEOUT')),
      'cannot reach the API server at https://10.0.0.1:6443: connection timed out',
    ],
    // localhost resolving to ::1 and 127.0.0.1: undici reports an AggregateError
    [
      fetchFailed(new AggregateError([sysErr('ECONNREFUSED'), sysErr('ECONNREFUSED')])),
      'cannot reach the API server at https://10.0.0.1:6443: connection refused',
    ],
  ])('unreachable: %#', (err, message) => {
    const mapped = mapKubeError(err, req);
    expect(mapped).toBeInstanceOf(RuntimeError);
    expect(mapped.exitCode).toBe(1);
    expect(mapped.message).toBe(message);
    expect(mapped.hint).toBe('is the cluster running? check --kubeconfig/--context (context "prod")');
  });

  test('TLS failures say so and point at the CA', () => {
    const mapped = mapKubeError(fetchFailed(sysErr('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')), req);
    expect(mapped.message).toBe(
      'cannot verify the TLS connection to the API server at https://10.0.0.1:6443: self-signed certificate',
    );
    expect(mapped.hint).toMatch(/certificate-authority/);
  });

  test('timeouts name the timeout', () => {
    for (const err of [
      new KubeTimeoutError(5000),
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      fetchFailed(sysErr('UND_ERR_HEADERS_TIMEOUT')),
    ]) {
      const mapped = mapKubeError(err, req);
      expect(mapped.message).toBe(
        'request to the API server at https://10.0.0.1:6443 timed out after 5s (list services in namespace "shop", user "alice", context "prod")',
      );
      expect(mapped.hint).toMatch(/raise --request-timeout \(now 5s\)/);
    }
    expect(mapKubeError(new KubeTimeoutError(1500), { ...req, timeoutMs: undefined }).message).toMatch(
      /timed out after 1.5s/,
    );
  });

  test('401 names user and context', () => {
    const mapped = mapKubeError(api(401, 'Unauthorized'), req);
    expect(mapped.message).toBe(
      'unauthorized: the API server at https://10.0.0.1:6443 rejected the credentials of user "alice", context "prod"',
    );
  });

  test('403 names verb, resource and namespace (and the identity the server saw)', () => {
    expect(mapKubeError(api(403, 'forbidden'), req).message).toBe(
      'forbidden: user "alice" cannot list services in namespace "shop" (context "prod")',
    );
    const seen = api(
      403,
      'services is forbidden: User "system:anonymous" cannot list resource "services" in API group "" in the namespace "shop"',
    );
    expect(mapKubeError(seen, req).message).toBe(
      'forbidden: user "system:anonymous" cannot list services in namespace "shop" (context "prod")',
    );
    const all = mapKubeError(api(403), { ...req, namespace: undefined, resource: 'ipaddresspools.metallb.io' });
    expect(all.message).toBe(
      'forbidden: user "alice" cannot list ipaddresspools.metallb.io in all namespaces (context "prod")',
    );
    expect(all.hint).toMatch(/-n NAMESPACE/);
    const cluster = mapKubeError(api(403), {
      ...req,
      namespace: undefined,
      namespaced: false,
      resource: 'nodes',
      userName: undefined,
    });
    expect(cluster.message).toBe(
      'forbidden: the anonymous user cannot list nodes at the cluster scope (context "prod")',
    );
  });

  test('client-node ApiException-like errors (numeric code, JSON body string) map too', () => {
    const e = Object.assign(new Error('HTTP-Code: 403'), {
      code: 403,
      body: JSON.stringify({ kind: 'Status', message: 'nope' }),
    });
    expect(mapKubeError(e, { ...req, verb: 'patch', name: 'web' }).message).toBe(
      'forbidden: user "alice" cannot patch services "web" in namespace "shop" (context "prod")',
    );
  });

  test('server errors, throttling and others stay on one line', () => {
    expect(mapKubeError(api(503, 'etcd\nunavailable'), req).message).toBe(
      'the API server at https://10.0.0.1:6443 failed (list services in namespace "shop"): 503 etcd unavailable',
    );
    expect(mapKubeError(api(429), req).message).toMatch(/throttling/);
    expect(mapKubeError(api(422, 'bad'), req).message).toBe(
      'the API server refused to list services in namespace "shop": 422 bad',
    );
    expect(mapKubeError(new Error('weird\nthing'), req).message).toBe(
      'list services in namespace "shop" failed (API server https://10.0.0.1:6443): weird thing',
    );
  });

  test('credential failures name the user', () => {
    const mapped = mapKubeError(new KubeAuthError('exec: executable aws not found'), req);
    expect(mapped.message).toBe(
      'cannot get credentials for user "alice", context "prod": exec: executable aws not found',
    );
  });

  test('ExposectlErrors pass through', () => {
    const e = new UsageError('x');
    expect(mapKubeError(e, req)).toBe(e);
  });
});
