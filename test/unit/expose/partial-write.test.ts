// A write that fails after the first one was stored: exit 1, every object already applied
// and the one that failed named, and "run it again" in the hint. The errors are the ones
// applyObject makes of the API server's answers (through a client that answers them).
import { describe, expect, it } from 'vitest';
import { applyFailure } from '../../../src/expose/partial-write.js';
import type { KubeClient } from '../../../src/kube/client.js';
import { KubeApiError } from '../../../src/kube/errors.js';
import { applyObject } from '../../../src/kube/objects.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { ExposectlError } from '../../../src/util/errors.js';

const pool: KubeObject = {
  apiVersion: 'metallb.io/v1beta1',
  kind: 'IPAddressPool',
  metadata: { name: 'exposectl-shop-web', namespace: 'metallb-system' },
};
const ad: KubeObject = {
  apiVersion: 'metallb.io/v1beta1',
  kind: 'L2Advertisement',
  metadata: { name: 'exposectl-shop-web', namespace: 'metallb-system' },
};
const lb: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-lb', namespace: 'shop' } };

/** A client whose every request fails with `err`. */
function failingClient(err: unknown): KubeClient {
  return {
    server: 'https://192.0.2.1:6443',
    contextName: 'test',
    userName: 'admin',
    namespace: 'default',
    requestTimeoutMs: 30_000,
    request: () => Promise.reject(err),
    close: async () => undefined,
  };
}

/** The error applyObject raises for `obj` when the server answers with `err`. */
async function applyError(obj: KubeObject, err: unknown): Promise<unknown> {
  return applyObject(failingClient(err), obj, { fieldManager: 'exposectl' }).then(
    () => {
      throw new Error('applied');
    },
    (e: unknown) => e,
  );
}

const conflict = new KubeApiError(
  409,
  'Conflict',
  'Apply failed with 1 conflict: conflict with "other" using v1: .spec.externalTrafficPolicy',
  {},
  '/api/v1/namespaces/shop/services/web-lb',
);
const invalid = new KubeApiError(
  422,
  'Invalid',
  'Service "web-lb" is invalid: spec.ports[0].nodePort: Invalid value: 80',
  {},
  '/api/v1/namespaces/shop/services/web-lb',
);
const denied = new KubeApiError(
  403,
  'Forbidden',
  'admission webhook "deny.example" denied the request: no',
  {},
  '/api/v1/namespaces/shop/services/web-lb',
);
const failed = new KubeApiError(
  500,
  'InternalError',
  'etcdserver: request timed out',
  {},
  '/api/v1/namespaces/shop/services/web-lb',
);
const reset = Object.assign(new TypeError('fetch failed'), {
  cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
});

async function failure(
  answer: unknown,
  seq: { applied: KubeObject[]; failed: KubeObject; pending?: KubeObject[]; dryRun?: boolean },
): Promise<ExposectlError> {
  const err = applyFailure(await applyError(seq.failed, answer), { pending: [], dryRun: false, ...seq });
  expect(err).toBeInstanceOf(ExposectlError);
  return err as ExposectlError;
}

describe('a write failing after the first one was stored', () => {
  it.each([
    ['409 field-manager conflict', conflict, /conflict with "other"/],
    ['422 invalid', invalid, /was rejected by the API server: Service "web-lb" is invalid/],
    ['403 denied by admission', denied, /denied the request/],
    ['500', failed, /failed .*500 etcdserver/],
  ])('%s: exit 1, names what was applied and that the failed one was not', async (_, answer, why) => {
    const err = await failure(answer, { applied: [pool, ad], failed: lb });
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(why);
    expect(err.message).toMatch(/^service\/web-lb[: ]/);
    expect(err.message).toContain(
      '; already applied: ipaddresspool.metallb.io/exposectl-shop-web, l2advertisement.metallb.io/exposectl-shop-web; not applied: service/web-lb',
    );
    expect(err.message).not.toContain('\n');
    expect(err.hint).toMatch(
      /run the same command again.*: it applies the rest and leaves what is already right unchanged$/,
    );
  });

  it('a 409 says to run it again with --force-conflicts', async () => {
    const err = await failure(conflict, { applied: [pool], failed: ad, pending: [lb] });
    expect(err.message).toContain('not applied: l2advertisement.metallb.io/exposectl-shop-web, service/web-lb');
    expect(err.hint).toMatch(/^run the same command again with --force-conflicts to take those fields over/);
  });

  it('without an answer (reset), the failed write may or may not be stored, and the rest was not sent', async () => {
    const err = await failure(reset, { applied: [pool], failed: ad, pending: [lb] });
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(
      /^l2advertisement\.metallb\.io\/exposectl-shop-web: cannot reach the API server at https:\/\/192\.0\.2\.1:6443: connection reset by the server; /,
    );
    expect(err.message).toContain(
      '; already applied: ipaddresspool.metallb.io/exposectl-shop-web; l2advertisement.metallb.io/exposectl-shop-web may or may not be applied (no answer); not applied: service/web-lb',
    );
    expect(err.hint).toMatch(/^is the cluster running\?.*; then run the same command again: /);
  });

  it('the first write refused: the error is the one of the request (a 409 stays exit 2)', async () => {
    const err = await failure(conflict, { applied: [], failed: pool, pending: [ad, lb] });
    expect(err.exitCode).toBe(2);
    expect(err.message).not.toMatch(/applied/);
  });

  it('the first write unanswered: it may be stored, so the rest and "run it again" are said too', async () => {
    const err = await failure(reset, { applied: [], failed: pool, pending: [ad, lb] });
    expect(err.exitCode).toBe(1);
    expect(err.message).not.toMatch(/already applied/);
    expect(err.message).toMatch(
      /; ipaddresspool\.metallb\.io\/exposectl-shop-web may or may not be applied \(no answer\); not applied: l2advertisement\.metallb\.io\/exposectl-shop-web, service\/web-lb$/,
    );
    expect(err.hint).toMatch(/then run the same command again/);
  });

  it('--dry-run=server: never "already applied", the exit code of the request, and says nothing was changed', async () => {
    for (const [answer, code] of [
      [conflict, 2],
      [invalid, 2],
      [failed, 1],
      [reset, 1],
    ] as const) {
      const err = await failure(answer, { applied: [pool, ad], failed: lb, dryRun: true });
      expect(err.exitCode).toBe(code);
      expect(err.message).not.toMatch(/already applied|not applied/);
      expect(err.message).toMatch(/\(--dry-run=server: nothing was changed\)$/);
      expect(err.hint ?? '').not.toMatch(/run the same command again/);
    }
  });

  it('an unexpected (non-exposectl) error passes through unchanged', () => {
    const bug = new TypeError('x is undefined');
    expect(applyFailure(bug, { applied: [pool], failed: ad, pending: [], dryRun: false })).toBe(bug);
  });
});
