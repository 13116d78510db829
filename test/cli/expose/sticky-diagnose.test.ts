// `expose --sticky --dry-run=client -o yaml`, applied to the user's input as the API server
// would hold it (the generated objects replace the user's objects of the same identity),
// then `diagnose affinity -f` on the result: no affinity finding, the ways sticky, the
// timeout in the generated objects (issue 17 point 3; the full matrix is the unit test
// test/unit/modes/sticky-diagnosis.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { runCli } from '../../helpers/cli.js';
import { applyAsCluster, objectsOfYAML, stickyTimeoutsOf } from '../../helpers/cluster-apply.js';

const dir = mkdtempSync(join(tmpdir(), 'exposectl-sticky-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The user's input: a ClusterIP Service over a Deployment, on three nodes of which two are edge nodes. */
const USER: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
    },
  },
  ...[1, 2, 3].map(
    (i) =>
      ({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: `n${i}`, labels: { 'kubernetes.io/hostname': `n${i}`, ...(i < 3 ? { role: 'edge' } : {}) } },
        status: { addresses: [{ type: 'InternalIP', address: `192.0.2.${i}` }] },
      }) as KubeObject,
  ),
];

function write(name: string, objects: KubeObject[]): string {
  const file = join(dir, name);
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
}

interface Report {
  findings: Array<{ code: string; message: string }>;
  affinity: { ways: Array<{ entry: string; sticky: string }> };
}

async function exposeThenDiagnose(name: string, expose: string[], diagnosed: string) {
  const input = write(`${name}-input.yaml`, USER);
  const r = await runCli(['expose', 'shop/web', ...expose, '-f', input, '--dry-run=client', '-o', 'yaml']);
  expect(r.exitCode, r.stderr).toBe(0);
  const generated = objectsOfYAML(r.stdout).flatMap((o) => (o.kind === 'List' ? (o.items as KubeObject[]) : [o]));
  const after = write(`${name}-after.yaml`, applyAsCluster(USER, generated));
  const d = await runCli(['diagnose', 'affinity', diagnosed, '-f', after, '-o', 'json', '--fail-on', 'warning']);
  expect(d.exitCode, d.stderr).toBe(0);
  return { generated, report: JSON.parse(d.stdout) as Report };
}

describe('expose --sticky, then diagnose affinity on the cluster it leaves', { timeout: 90_000 }, () => {
  it('hostnetwork (HAProxy on the edge nodes, PROXY): the gateway keys on the client over the Pods, 900s', async () => {
    const { generated, report } = await exposeThenDiagnose(
      'hostnetwork',
      [
        '--mode',
        'hostnetwork',
        '--node-selector',
        'role=edge',
        '--sticky',
        '--sticky-timeout',
        '900',
        '--preserve-source-ip',
      ],
      'shop/web',
    );
    expect(report.findings).toEqual([]);
    expect(report.affinity.ways.map((w) => w.sticky)).toEqual(['client-ip']);
    // Asked about the user's Service, the summary follows the gateway to its Pods (headless web-hostnet).
    expect(report.affinity.ways[0]!.entry).toContain('haproxy DaemonSet shop/web-hostnet on 2 nodes');
    expect(stickyTimeoutsOf(generated).map((t) => t.seconds)).toEqual([900]);
  });

  it("l2 --in-place: the patch replaces the user's Service (ClientIP on the LoadBalancer), 600s", async () => {
    const { generated, report } = await exposeThenDiagnose(
      'l2',
      ['--mode', 'l2', '--addresses', '198.51.100.10/32', '--in-place', '--sticky', '--sticky-timeout', '600'],
      'shop/web',
    );
    expect(report.findings).toEqual([]);
    expect(report.affinity.ways.map((w) => [w.entry, w.sticky])).toEqual([['LoadBalancer (metallb l2)', 'client-ip']]);
    expect(stickyTimeoutsOf(generated).map((t) => t.seconds)).toEqual([600]);
  });

  it('the same input with the NodePort made sticky anyway is the finding the nodeport refusal prevents', async () => {
    // Offline, expose cannot see the nodes (no cluster facts), so it generates with a note.
    const r = await runCli([
      'expose',
      'shop/web',
      '--mode',
      'nodeport',
      '--in-place',
      '--sticky',
      '-f',
      write('np.yaml', USER),
      '--dry-run=client',
      '-o',
      'yaml',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('with more than one node, --sticky in mode nodeport is refused');
    const after = write(
      'np-after.yaml',
      applyAsCluster(
        USER,
        objectsOfYAML(r.stdout).flatMap((o) => (o.kind === 'List' ? (o.items as KubeObject[]) : [o])),
      ),
    );
    const d = await runCli(['diagnose', 'affinity', 'shop/web', '-f', after, '-o', 'json']);
    expect((JSON.parse(d.stdout) as Report).findings.map((f) => f.code)).toEqual(['affinity/per-entry-node']);
  });
});
