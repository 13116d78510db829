// The same object in two -f inputs is listed once, and the warning names every place;
// the snapshot of the files keeps every copy (the analyzers see what the files say).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutDuplicates } from '../../../src/actions/list-dedupe.js';
import { loadManifests } from '../../../src/sources/files.js';
import { runCli } from '../../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'exposectl-dedupe-'));
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

const svc = (name: string, ns?: string, type = 'NodePort') =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}\nspec: {type: ${type}, ports: [{port: 80}]}\n`;

describe('objects read twice from files', () => {
  it('keeps the first and warns naming both files and lines', async () => {
    const a = file('a.yaml', `${svc('web', 'shop')}---\n${svc('api', 'shop')}`);
    const b = file('b.yaml', `# the same web again\n${svc('web', 'shop', 'LoadBalancer')}`);
    const read = (await loadManifests([a, b])).snapshot;
    expect(read.services).toHaveLength(3);
    const { snapshot, warnings } = withoutDuplicates(read);
    expect(snapshot.services.map((s) => `${s.metadata.name} ${s.spec?.type}`)).toEqual([
      'web NodePort',
      'api NodePort',
    ]);
    expect(warnings).toEqual([`service shop/web is defined twice: in ${a}:1 and in ${b}:2; the first is used`]);
    expect(snapshot.origins.get(snapshot.services[0]!)).toEqual({ file: a, line: 1 });
  });

  it('tells objects apart by group, kind, namespace and name', async () => {
    const a = file(
      'c.yaml',
      [svc('web', 'shop'), svc('web', 'other'), svc('web')].join('---\n') +
        '---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\nspec: {}\n',
    );
    const { snapshot, warnings } = withoutDuplicates((await loadManifests([a])).snapshot);
    expect(snapshot.services).toHaveLength(3);
    expect(snapshot.ingresses).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('counts an object without namespace as in the default namespace, as kubectl apply does', async () => {
    const a = file('d.yaml', `${svc('web')}---\n${svc('web', 'default')}---\n${svc('web')}`);
    const { snapshot, warnings } = withoutDuplicates((await loadManifests([a])).snapshot);
    expect(snapshot.services).toHaveLength(1);
    expect(warnings).toEqual([
      `service default/web is defined 3 times: in ${a}:1, ${a}:6 and in ${a}:11; the first is used`,
    ]);
  });

  it('dedupes the MetalLB and Cilium lists too, and leaves a cluster snapshot alone', async () => {
    const pool =
      'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: metallb-system}\nspec: {addresses: [192.0.2.0/28]}\n';
    const read = (await loadManifests([file('g.yaml', `${pool}---\n${pool}`)])).snapshot;
    expect(withoutDuplicates(read).snapshot.metallb.ipAddressPools).toHaveLength(1);
    const cluster = { ...read, source: { kind: 'cluster' as const, description: 'x' } };
    expect(withoutDuplicates(cluster)).toEqual({ snapshot: cluster, warnings: [] });
  });

  it('list shows the object once and prints the warning', async () => {
    const a = file('e.yaml', svc('web', 'shop'));
    const b = file('f.yaml', svc('web', 'shop'));
    const r = await runCli(['list', '-f', a, '-f', b, '-o', 'name']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('service/web');
    expect(r.stderr).toBe(`Warning: service shop/web is defined twice: in ${a}:1 and in ${b}:1; the first is used`);
    const json = await runCli(['list', '-f', a, '-f', b, '-o', 'json']);
    expect((JSON.parse(json.stdout) as { items: unknown[] }).items).toHaveLength(1);
  });
});
