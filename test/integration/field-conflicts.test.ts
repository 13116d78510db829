// Another field manager takes fields of an object exposectl owns: re-running expose says
// so in one line (object, manager, fields, --force-conflicts) with exit 2 and changes
// nothing; --force-conflicts takes the fields back.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { kubectl, kubectlJson, testCluster, useNamespace } from './helpers.js';

const ns = useNamespace('field-conflicts');

interface Svc {
  spec: { externalTrafficPolicy?: string; sessionAffinity?: string };
  metadata: { managedFields?: Array<{ manager: string; operation: string }> };
}

const expose = (...extra: string[]) =>
  runCli(['expose', 'web', '-n', ns.name, '--mode', 'nodeport', ...extra], {
    env: { KUBECONFIG: testCluster().kubeconfig },
    timeoutMs: 300_000,
  });

beforeAll(async () => {
  await kubectl(['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '-n', ns.name]);
});

describe('a conflicting field manager on an object exposectl owns', () => {
  it('is named in one line with exit 2, and --force-conflicts resolves it', async () => {
    const first = await expose();
    expect(first.exitCode, first.stderr).toBe(0);
    // Someone else's controller takes two fields exposectl set.
    await kubectl(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-n', ns.name, '-f', '-'], {
      input:
        'apiVersion: v1\nkind: Service\nmetadata: {name: web-nodeport}\nspec: {externalTrafficPolicy: Local, sessionAffinity: ClientIP}\n',
    });
    const before = await kubectlJson<Svc>(['get', 'service', 'web-nodeport', '-n', ns.name]);

    const refused = await expose();
    expect(refused.exitCode).toBe(2);
    const [error, hint, ...rest] = refused.stderr.trim().split('\n');
    expect(rest).toEqual([]);
    expect(error).toMatch(
      /^error: service\/web-nodeport: fields are managed by another field manager: .*conflicts? with "other".*\.spec\.externalTrafficPolicy.*\.spec\.sessionAffinity/,
    );
    expect(hint).toMatch(/^hint: re-run with --force-conflicts/);
    const after = await kubectlJson<Svc>(['get', 'service', 'web-nodeport', '-n', ns.name]);
    expect(after.spec).toMatchObject({ externalTrafficPolicy: 'Local', sessionAffinity: 'ClientIP' });
    expect((after.metadata as { resourceVersion?: string }).resourceVersion).toBe(
      (before.metadata as { resourceVersion?: string }).resourceVersion,
    );

    const forced = await expose('--force-conflicts');
    expect(forced.exitCode, forced.stderr).toBe(0);
    const taken = await kubectlJson<Svc>(['get', 'service', 'web-nodeport', '-n', ns.name]);
    expect(taken.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', sessionAffinity: 'None' });
    const again = await expose();
    expect(again.exitCode, again.stderr).toBe(0);
  }, 600_000); // five CLI runs on a shared 2-core machine
});
