// `expose --wait --timeout T` ends after about T even when the API server stops answering
// in the middle of a poll (each request alone may wait --request-timeout, 30 s by default).
import { describe, expect, it } from 'vitest';
import { NoAnswerError, withinDeadline } from '../../../src/expose/deadline.js';
import { LineProgress } from '../../../src/expose/progress.js';
import { waitUntilServing } from '../../../src/expose/run.js';
import type { KubeClient } from '../../../src/kube/client.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import type { ExposeSpec } from '../../../src/modes/index.js';
import { RuntimeError } from '../../../src/util/errors.js';

const lb: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web-lb', namespace: 'shop' },
  spec: { type: 'LoadBalancer' },
};
const spec = {
  service: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: {} },
  mode: 'l2',
} as unknown as ExposeSpec;

/** Answers the first `answered` requests (the Service, without an address yet), then never again. */
function stallingClient(answered: number): KubeClient & { requests: number } {
  const client = {
    server: 'https://192.0.2.1:6443',
    contextName: 't',
    userName: undefined,
    namespace: 'default',
    requestTimeoutMs: 30_000,
    requests: 0,
    request: <T>(path: string): Promise<T> => {
      client.requests++;
      if (client.requests > answered) return new Promise<T>(() => {});
      return Promise.resolve((path.includes('endpointslices') ? { items: [] } : lb) as T);
    },
    close: async () => undefined,
  };
  return client;
}

describe('withinDeadline', () => {
  it('gives the value in time, NoAnswerError after the deadline', async () => {
    await expect(withinDeadline(Promise.resolve(7), 50)).resolves.toBe(7);
    await expect(withinDeadline(new Promise(() => {}), 20)).rejects.toBeInstanceOf(NoAnswerError);
  });
});

describe('waitUntilServing against a server that stops answering', () => {
  it('ends at the timeout, saying the API server did not answer', async () => {
    const lines: string[] = [];
    const client = stallingClient(4); // two polls answered, then the third hangs
    const started = performance.now();
    const err = await waitUntilServing(client, spec, [lb], {
      timeoutMs: 600,
      intervalMs: 100,
      progress: new LineProgress((l) => lines.push(l)),
    }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toBe('timed out after 1s waiting for the exposure to serve; still missing:');
    expect((err as RuntimeError).details).toEqual(['  API server: no answer within the timeout']);
    expect(client.requests).toBeGreaterThan(4); // it did poll into the stall
    expect(lines.join('\n')).toMatch(/waiting: service\/web-lb address: <pending>/);
    expect(elapsed).toBeGreaterThanOrEqual(590);
    expect(elapsed).toBeLessThan(600 + 2_000); // not the 30 s of a request timeout
  });

  it('a server that answers, slowly, is still heard on the last poll: the timeout names what is missing', async () => {
    const slow = { ...stallingClient(Number.MAX_SAFE_INTEGER) };
    const request = slow.request;
    slow.request = <T>(path: string) => new Promise<T>((resolve) => setTimeout(() => resolve(request<T>(path)), 40));
    const err = await waitUntilServing(slow, spec, [lb], {
      timeoutMs: 300,
      intervalMs: 100,
      progress: new LineProgress(() => undefined),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).details).toContain('  service/web-lb address: <pending>');
    expect((err as RuntimeError).details?.join('\n')).not.toMatch(/API server/);
  });
});
