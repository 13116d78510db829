// Faults in the middle of `expose --mode l2` (three writes: IPAddressPool, L2Advertisement,
// LoadBalancer Service), against the real control plane. Whatever fails after the first
// stored write, the run exits 1, names every object already applied and the one that failed,
// and says that running it again converges; running it again does converge.
//
// Faults the real API server produces: a field-manager conflict (409), a denial by a
// ValidatingAdmissionPolicy as Invalid (422) and as Forbidden (403). Faults it does not
// produce on demand go through test/helpers/fault-proxy.ts in front of it: a 500 on the
// third write, a connection reset after the second write was stored, a server that stops
// answering (during the writes, and during --wait).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { backendYaml, kubectl, kubectlJson, testCluster, useNamespace, waitUntil } from './helpers.js';

const ns = useNamespace('faults-expose');
// CLI runs take seconds each on a shared 2-core machine.
const TEST_TIMEOUT_MS = 400_000;

let tmp: string;
let proxy: FaultProxy;

const SERVICES = ['conflict', 'invalid', 'denied', 'failing', 'reset', 'stall', 'waiting'] as const;
type Svc = (typeof SERVICES)[number];
/** A /30 of its own for each Service (203.0.113.160/27 is used by no other test file). */
const addresses = (svc: Svc) => `203.0.113.${160 + 4 * SERVICES.indexOf(svc)}/30`;
const poolRef = (svc: Svc) => `ipaddresspool.metallb.io/exposectl-${ns.name}-${svc}`;
const adRef = (svc: Svc) => `l2advertisement.metallb.io/exposectl-${ns.name}-${svc}`;
const lbRef = (svc: Svc) => `service/${svc}-lb`;
const exposeArgs = (svc: Svc) => ['expose', svc, '-n', ns.name, '--mode', 'l2', '--addresses', addresses(svc)];

function cli(args: string[], kubeconfig = testCluster().kubeconfig): Promise<CliResult & { elapsed: number }> {
  const started = performance.now();
  return runCli(args, { env: { KUBECONFIG: kubeconfig }, timeoutMs: 180_000 }).then((r) => ({
    ...r,
    elapsed: performance.now() - started,
  }));
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-faults-expose-'));
  await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: SERVICES.map((s) => backendYaml(s, 1)).join('---\n') });
  proxy = await startFaultProxy(testCluster().kubeconfig, tmp);
});

afterAll(async () => {
  await proxy?.close();
  await kubectl(
    [
      'delete',
      'ipaddresspools,l2advertisements',
      '-n',
      'metallb-system',
      '-l',
      `exposectl.dev/service-namespace=${ns.name}`,
      '--ignore-not-found',
    ],
    { allowFailure: true },
  );
  await kubectl(
    [
      'delete',
      'validatingadmissionpolicy,validatingadmissionpolicybinding',
      '-l',
      `exposectl.test/namespace=${ns.name}`,
      '--ignore-not-found',
    ],
    { allowFailure: true },
  );
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The one error line and the hint of a failed run (one each, no stack trace). */
function errorOf(r: CliResult): { error: string; hint: string } {
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  const hints = r.stderr.split('\n').filter((l) => l.startsWith('hint: '));
  expect(errors, r.stderr).toHaveLength(1);
  expect(hints, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  console.log(`[faults-expose] ${r.stderr.trimEnd()}`);
  return { error: errors[0]!, hint: hints[0]! };
}

async function exists(kind: string, name: string, namespace: string): Promise<boolean> {
  return (await kubectl(['get', kind, name, '-n', namespace], { allowFailure: true })).exitCode === 0;
}

/** The partial state: the pool and the advertisement stored, the Service not. */
async function expectPoolAndAdvertisementOnly(svc: Svc): Promise<void> {
  expect(await exists('ipaddresspools.metallb.io', `exposectl-${ns.name}-${svc}`, 'metallb-system')).toBe(true);
  expect(await exists('l2advertisements.metallb.io', `exposectl-${ns.name}-${svc}`, 'metallb-system')).toBe(true);
  expect(await exists('service', `${svc}-lb`, ns.name)).toBe(false);
}

/** Running the same command again (without the fault) converges: exit 0, every object there. */
async function expectConverges(svc: Svc): Promise<void> {
  const again = await cli(exposeArgs(svc));
  expect(again.exitCode, again.stderr).toBe(0);
  expect(again.stdout.split('\n')).toEqual(
    [poolRef(svc), adRef(svc), lbRef(svc)].map((r) => `${r} serverside-applied`),
  );
  expect(await exists('service', `${svc}-lb`, ns.name)).toBe(true);
}

describe('faults the real API server produces', () => {
  it(
    '409: another field manager owns a field of the last object',
    async () => {
      const first = await cli(exposeArgs('conflict'));
      expect(first.exitCode, first.stderr).toBe(0);
      await kubectl(
        ['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-n', ns.name, '-f', '-'],
        {
          input: 'apiVersion: v1\nkind: Service\nmetadata: {name: conflict-lb}\nspec: {externalTrafficPolicy: Local}\n',
        },
      );

      // A server dry run first: it stores nothing, so it never says "already applied".
      const dry = await cli([...exposeArgs('conflict'), '--dry-run=server']);
      expect(dry.exitCode).toBe(2);
      const dryError = errorOf(dry);
      expect(dryError.error).toMatch(
        /^error: service\/conflict-lb: fields are managed by another field manager: .*conflict with "other"/,
      );
      expect(dryError.error).toMatch(/\(--dry-run=server: nothing was changed\)$/);
      expect(dry.stderr).not.toMatch(/already applied/);

      const r = await cli(exposeArgs('conflict'));
      expect(r.exitCode).toBe(1);
      const { error, hint } = errorOf(r);
      expect(error).toMatch(
        /^error: service\/conflict-lb: fields are managed by another field manager: .*conflict with "other".*\.spec\.externalTrafficPolicy/,
      );
      expect(error).toContain(
        `; already applied: ${poolRef('conflict')}, ${adRef('conflict')}; not applied: ${lbRef('conflict')}`,
      );
      expect(hint).toMatch(
        /^hint: run the same command again with --force-conflicts .*: it applies the rest and leaves what is already right unchanged$/,
      );
      const svc = await kubectlJson<{ spec: { externalTrafficPolicy: string } }>([
        'get',
        'service',
        'conflict-lb',
        '-n',
        ns.name,
      ]);
      expect(svc.spec.externalTrafficPolicy).toBe('Local');

      const forced = await cli([...exposeArgs('conflict'), '--force-conflicts']);
      expect(forced.exitCode, forced.stderr).toBe(0);
      const taken = await kubectlJson<{ spec: { externalTrafficPolicy: string } }>([
        'get',
        'service',
        'conflict-lb',
        '-n',
        ns.name,
      ]);
      expect(taken.spec.externalTrafficPolicy).toBe('Cluster');
    },
    TEST_TIMEOUT_MS,
  );

  it.each([
    [
      'invalid',
      'Invalid',
      /^error: service\/invalid-lb was rejected by the API server: .*no LoadBalancer here \(test policy\)/,
    ],
    [
      'denied',
      'Forbidden',
      /^error: service\/denied-lb: the API server refused to patch services "denied-lb" .*no LoadBalancer here \(test policy\)/,
    ],
  ] as const)(
    'an admission policy refuses the last object (%s, reason %s)',
    async (svc, reason, said) => {
      const name = `exposectl-test-${svc}-${ns.name}`;
      const label = `exposectl.test/namespace: ${ns.name}`;
      await kubectl(['apply', '-f', '-'], {
        input: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: ${name}, labels: {${label}}}
spec:
  failurePolicy: Fail
  matchConstraints:
    namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${ns.name}}}
    resourceRules: [{apiGroups: [''], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [services]}]
  validations:
  - expression: "object.metadata.name != '${svc}-lb'"
    message: no LoadBalancer here (test policy)
    reason: ${reason}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: ${name}, labels: {${label}}}
spec: {policyName: ${name}, validationActions: [Deny]}
`,
      });
      // The API server picks policies up asynchronously: wait until a dry run is refused.
      await waitUntil(
        `policy ${name} in force`,
        async () =>
          (
            await kubectl(
              ['create', 'service', 'loadbalancer', `${svc}-lb`, '--tcp=80', '-n', ns.name, '--dry-run=server'],
              { allowFailure: true },
            )
          ).exitCode !== 0,
        { timeoutMs: 60_000, intervalMs: 500 },
      );

      const r = await cli(exposeArgs(svc));
      expect(r.exitCode).toBe(1);
      const { error, hint } = errorOf(r);
      expect(error).toMatch(said);
      expect(error).toContain(`; already applied: ${poolRef(svc)}, ${adRef(svc)}; not applied: ${lbRef(svc)}`);
      expect(hint).toMatch(
        /then run the same command again: it applies the rest and leaves what is already right unchanged$/,
      );
      await expectPoolAndAdvertisementOnly(svc);

      await kubectl(['delete', 'validatingadmissionpolicybinding', name]);
      await kubectl(['delete', 'validatingadmissionpolicy', name]);
      await waitUntil(
        `policy ${name} gone`,
        async () =>
          (
            await kubectl(
              ['create', 'service', 'loadbalancer', `${svc}-lb`, '--tcp=80', '-n', ns.name, '--dry-run=server'],
              { allowFailure: true },
            )
          ).exitCode === 0,
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      await expectConverges(svc);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('faults through a proxy in front of the real API server', () => {
  it(
    '500 on the third write',
    async () => {
      const patchesBefore = proxy.log.filter((l) => l.patchNo !== undefined).length;
      proxy.fault = ({ patchNo }) =>
        patchNo === patchesBefore + 3 ? { status: 500, message: 'etcdserver: request timed out' } : undefined;
      const r = await cli(exposeArgs('failing'), proxy.kubeconfig);
      proxy.fault = () => undefined;
      expect(r.exitCode).toBe(1);
      const { error, hint } = errorOf(r);
      expect(error).toMatch(
        /^error: service\/failing-lb: the API server at http:\/\/127\.0\.0\.1:\d+ failed \(patch services "failing-lb" .*\): 500 etcdserver: request timed out/,
      );
      expect(error).toContain(
        `; already applied: ${poolRef('failing')}, ${adRef('failing')}; not applied: ${lbRef('failing')}`,
      );
      expect(hint).toMatch(/; then run the same command again: it applies the rest/);
      await expectPoolAndAdvertisementOnly('failing');
      await expectConverges('failing');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'connection reset after the second write was stored (its answer lost)',
    async () => {
      const patchesBefore = proxy.log.filter((l) => l.patchNo !== undefined).length;
      proxy.fault = ({ patchNo }) => (patchNo === patchesBefore + 2 ? 'reset' : undefined);
      const r = await cli(exposeArgs('reset'), proxy.kubeconfig);
      proxy.fault = () => undefined;
      expect(r.exitCode).toBe(1);
      const { error, hint } = errorOf(r);
      expect(error).toMatch(
        /^error: l2advertisement\.metallb\.io\/exposectl-\S+-reset: cannot reach the API server at \S+: (connection reset by the server|connection closed by the server|[^;]*socket)/,
      );
      expect(error).toContain(
        `; already applied: ${poolRef('reset')}; ${adRef('reset')} may or may not be applied (no answer); not applied: ${lbRef('reset')}`,
      );
      expect(hint).toMatch(/then run the same command again: it applies the rest/);
      await expectPoolAndAdvertisementOnly('reset'); // the reset came after the server stored it
      await expectConverges('reset');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the server stops answering at the second write: exit 1 within --request-timeout',
    async () => {
      const patchesBefore = proxy.log.filter((l) => l.patchNo !== undefined).length;
      proxy.fault = ({ patchNo }) => (patchNo === patchesBefore + 2 ? 'stall' : undefined);
      const r = await cli([...exposeArgs('stall'), '--request-timeout', '3s'], proxy.kubeconfig);
      const sinceStall = performance.now() - proxy.stalledAt!;
      proxy.fault = () => undefined;
      proxy.stalledAt = undefined;
      expect(r.exitCode).toBe(1);
      const { error } = errorOf(r);
      expect(error).toMatch(
        /^error: l2advertisement\.metallb\.io\/exposectl-\S+-stall: request to the API server at \S+ timed out after 3s/,
      );
      expect(error).toContain(
        `; already applied: ${poolRef('stall')}; ${adRef('stall')} may or may not be applied (no answer); not applied: ${lbRef('stall')}`,
      );
      console.log(`[faults-expose] stalled write: exit ${Math.round(sinceStall)} ms after the stall began`);
      expect(sinceStall).toBeLessThan(3_000 + 5_000); // a correctness bound, not a benchmark
      await expectConverges('stall');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '--wait --timeout 3s returns after about 3 s when the server stalls during the wait',
    async () => {
      // Every read after the last write stalls: the wait can only end by its timeout.
      const patchesBefore = proxy.log.filter((l) => l.patchNo !== undefined).length;
      let writesDone = false;
      proxy.fault = ({ patchNo, method }) => {
        if (patchNo === patchesBefore + 3) writesDone = true;
        else if (writesDone && method === 'GET') return 'stall';
        return undefined;
      };
      const r = await cli([...exposeArgs('waiting'), '--wait', '--timeout', '3s'], proxy.kubeconfig);
      const sinceStall = performance.now() - proxy.stalledAt!;
      proxy.fault = () => undefined;
      proxy.stalledAt = undefined;
      expect(r.exitCode).toBe(1);
      const { error } = errorOf(r);
      expect(error).toBe('error: timed out after 3s waiting for the exposure to serve; still missing:');
      expect(r.stderr).toMatch(/^ {2}API server: no answer within the timeout$/m);
      expect(r.stdout).toContain(`${lbRef('waiting')} serverside-applied`); // what was applied is still said
      console.log(
        `[faults-expose] stalled wait: exit ${Math.round(sinceStall)} ms after the stall began (${Math.round(r.elapsed)} ms in all)`,
      );
      expect(sinceStall).toBeLessThan(3_000 + 5_000); // not the 30 s of --request-timeout
    },
    TEST_TIMEOUT_MS,
  );
});
