import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadManifests, readManifests } from '../../../src/sources/files.js';
import { UsageError } from '../../../src/util/errors.js';

let dir: string;
const write = (rel: string, text: string): string => {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
};
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'exposectl-files-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const svc = (name: string, ns?: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ''}spec:
  type: NodePort
  ports:
  - port: 80
`;

async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  expect((err as UsageError).exitCode).toBe(2);
  return err as UsageError;
}

describe('readManifests: formats', () => {
  test('multi-document YAML with empty documents and comments', async () => {
    const file = write(
      'multi.yaml',
      `# leading comment\n---\n${svc('a')}---\n---\n# only a comment\n---\n${svc('b', 'other')}---\n`,
    );
    const load = await loadManifests([file]);
    expect(load.snapshot.services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual([
      'default/a',
      'other/b',
    ]);
    expect(load.skipped).toEqual([]);
    expect(load.snapshot.origins.get(load.snapshot.services[0]!)).toEqual({ file, line: 3 });
    expect(load.snapshot.origins.get(load.snapshot.services[1]!)).toEqual({ file, line: 15 });
  });

  test('flow style', async () => {
    const file = write(
      'flow.yaml',
      `{ apiVersion: "v1", kind: "Service", metadata: { name: "flow", labels: { app.kubernetes.io/name: "x" } }, spec: { ports: [{ port: 80, targetPort: 9376 }] } }\n`,
    );
    const s = await readManifests([file]);
    expect(s.services[0]?.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'x' });
    expect(s.services[0]?.spec?.ports?.[0]?.targetPort).toBe(9376);
  });

  test('JSON document, and a stream of concatenated JSON objects (jq -c style)', async () => {
    const one = write(
      'one.json',
      JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'j1' } }, null, 2),
    );
    const stream = write(
      'stream.json',
      [
        JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'j2' } }),
        JSON.stringify({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'j3', namespace: 'web' },
        }),
      ].join('\n'),
    );
    const load = await loadManifests([one, stream]);
    expect(load.snapshot.services.map((s) => s.metadata.name)).toEqual(['j1', 'j2']);
    expect(load.snapshot.ingresses[0]?.metadata.namespace).toBe('web');
    expect(load.snapshot.origins.get(load.snapshot.ingresses[0]!)).toEqual({ file: stream, line: 2 });
  });

  test('kind: List and typed lists (ServiceList items without kind)', async () => {
    const file = write(
      'list.yaml',
      `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: l1}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: Role
  metadata: {name: ignored}
---
apiVersion: v1
kind: ServiceList
metadata: {resourceVersion: "1"}
items:
- metadata: {name: l2, namespace: x}
- metadata: {name: l3, namespace: x}
`,
    );
    const load = await loadManifests([file]);
    expect(load.snapshot.services.map((s) => [s.apiVersion, s.kind, s.metadata.name])).toEqual([
      ['v1', 'Service', 'l1'],
      ['v1', 'Service', 'l2'],
      ['v1', 'Service', 'l3'],
    ]);
    expect(load.snapshot.origins.get(load.snapshot.services[0]!)?.line).toBe(4);
    expect(load.snapshot.origins.get(load.snapshot.services[2]!)?.line).toBe(16);
    expect(load.skipped).toEqual([
      { file, line: 7, reason: 'kind-not-relevant', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
    ]);
  });

  test('unknown kinds, non-objects and documents without apiVersion/kind are skipped and counted', async () => {
    const file = write(
      'mixed.yaml',
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n---\njust a string\n---\n- a\n- list\n---\nkind: Service\nmetadata: {name: noversion}\n---\napiVersion: v1\nkind: Service\nmetadata: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubevip, namespace: kube-system}\ndata: {range-global: 192.0.2.10-192.0.2.20}\n---\n${svc('kept')}`,
    );
    const load = await loadManifests([file]);
    expect(load.snapshot.services.map((s) => s.metadata.name)).toEqual(['kept']);
    expect(load.snapshot.configMaps.map((s) => s.metadata.name)).toEqual(['kubevip']);
    expect(load.skipped.map((s) => s.reason)).toEqual([
      'kind-not-relevant',
      'not-an-object',
      'not-an-object',
      'no-apiVersion-or-kind',
      'no-name',
      'filtered',
    ]);
    expect(load.objects).toBe(2);
  });

  test('kinds of removed API versions are skipped with their own reason', async () => {
    const file = write(
      'old.yaml',
      `apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\nspec: {backend: {serviceName: s, servicePort: 80}}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: new}\n`,
    );
    const load = await loadManifests([file]);
    expect(load.snapshot.ingresses.map((i) => i.metadata.name)).toEqual(['new']);
    expect(load.skipped).toEqual([
      { file, line: 1, reason: 'removed-api', apiVersion: 'extensions/v1beta1', kind: 'Ingress' },
    ]);
  });

  test('Secrets keep only name, namespace and type; never data', async () => {
    const file = write(
      'secret.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata: {name: tls, namespace: web, labels: {a: b}}\ntype: kubernetes.io/tls\ndata: {tls.crt: c2VjcmV0, tls.key: c2VjcmV0}\nstringData: {x: y}\n`,
    );
    const s = await readManifests([file]);
    expect(s.secrets).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'web' }, type: 'kubernetes.io/tls' },
    ]);
    expect(s.origins.get(s.secrets[0]!)).toEqual({ file, line: 1 });
  });

  test('YAML merge keys and UTF-8 BOM', async () => {
    const file = write(
      'merge.yaml',
      `\ufeffbase: &b {apiVersion: v1, kind: Service}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  <<: {labels: {tier: web}}\n  name: merged\n`,
    );
    const s = await readManifests([file]);
    expect(s.services[0]?.metadata).toEqual({ labels: { tier: 'web' }, name: 'merged', namespace: 'default' });
  });

  test('defaultNamespace fills namespaced objects only', async () => {
    const file = write(
      'ns.yaml',
      `${svc('a')}---\n${svc('b', 'keep')}---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\n---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p}\nspec: {addresses: [192.0.2.0/28]}\n`,
    );
    const s = await readManifests([file], { defaultNamespace: 'dev' });
    expect(s.services.map((x) => x.metadata.namespace)).toEqual(['dev', 'keep']);
    expect(s.nodes[0]?.metadata.namespace).toBeUndefined();
    expect(s.metallb.ipAddressPools[0]?.metadata.namespace).toBe('dev');
    const d = await readManifests([file]);
    expect(d.services[0]?.metadata.namespace).toBe('default');
  });
});

describe('readManifests: paths', () => {
  test('folders are read recursively, only .yaml/.yml/.json, in name order; a file named explicitly whatever its extension', async () => {
    write('tree/b.yaml', svc('b'));
    write('tree/a.yml', svc('a'));
    write('tree/sub/deeper/c.json', JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'c' } }));
    write('tree/notes.txt', 'this: is not read\n{{ not yaml');
    write('tree/README.md', '# not read');
    const txt = write('manifest.txt', svc('txt'));
    const load = await loadManifests([path.join(dir, 'tree'), txt]);
    expect(load.snapshot.services.map((s) => s.metadata.name)).toEqual(['a', 'b', 'c', 'txt']);
    expect(load.files.map((f) => path.relative(dir, f))).toEqual([
      'tree/a.yml',
      'tree/b.yaml',
      'tree/sub/deeper/c.json',
      'manifest.txt',
    ]);
  });

  test('symlink loops in folders end; a file reached twice is read once', async () => {
    write('loop/x.yaml', svc('x'));
    symlinkSync(path.join(dir, 'loop'), path.join(dir, 'loop', 'again'));
    const load = await loadManifests([path.join(dir, 'loop'), path.join(dir, 'loop', 'x.yaml')]);
    expect(load.snapshot.services.map((s) => s.metadata.name)).toEqual(['x']);
  });

  test('"-" reads stdin', async () => {
    const stdin = Readable.from([Buffer.from(svc('from-stdin')), Buffer.from('---\n'), Buffer.from(svc('second'))]);
    const load = await loadManifests(['-'], { stdin });
    expect(load.snapshot.services.map((s) => s.metadata.name)).toEqual(['from-stdin', 'second']);
    expect(load.snapshot.origins.get(load.snapshot.services[1]!)).toEqual({ file: '<stdin>', line: 10 });
  });

  test('no paths gives an empty snapshot', async () => {
    const s = await readManifests([]);
    expect(s.services).toEqual([]);
    expect(s.source.kind).toBe('files');
  });
});

describe('readManifests: bad input is a UsageError (exit 2)', () => {
  test('missing file names the path', async () => {
    const missing = path.join(dir, 'nope.yaml');
    const err = await usageError(readManifests([missing]));
    expect(err.message).toBe(`the path "${missing}" does not exist`);
  });

  test('URLs are refused with a hint', async () => {
    const err = await usageError(readManifests(['https://example.com/x.yaml']));
    expect(err.message).toBe('-f/--filename takes files, folders or -, not URLs: https://example.com/x.yaml');
    expect(err.hint).toMatch(/curl/);
  });

  test('malformed YAML names file, line and column', async () => {
    const file = write(
      'bad.yaml',
      `${svc('ok')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: bad\n   labels: oops\n`,
    );
    const err = await usageError(readManifests([file]));
    expect(err.message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:13|:14):\\d+: invalid YAML: `),
    );
    expect(err.message.split('\n')).toHaveLength(1);
  });

  test('unclosed flow mapping', async () => {
    const file = write('badflow.yaml', `{ apiVersion: v1, kind: Service,\n  metadata: { name: x }\n`);
    const err = await usageError(readManifests([file]));
    expect(err.message).toMatch(/badflow\.yaml:\d+:\d+: invalid YAML: /);
  });

  test('malformed JSON in a .json file names file, line and column', async () => {
    const file = write('bad.json', '{\n  "apiVersion": "v1",\n  "kind": "Service"\n  "metadata": {}\n}\n');
    const err = await usageError(readManifests([file]));
    expect(err.message).toMatch(/bad\.json:4:\d+: invalid (JSON|YAML): /);
  });

  test('malformed YAML on stdin names <stdin>', async () => {
    const err = await usageError(readManifests(['-'], { stdin: Readable.from(['a: [1, 2\n']) }));
    expect(err.message).toMatch(/^<stdin>:\d+:\d+: invalid YAML: /);
  });

  test('an alias bomb is refused quickly with a bounded error', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
    }
    const file = write(
      'bomb.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubevip}\ndata:\n${lines.map((l) => `  ${l}`).join('\n')}\n`,
    );
    const start = Date.now();
    const err = await usageError(readManifests([file]));
    expect(Date.now() - start).toBeLessThan(2000);
    expect(err.message).toMatch(/bomb\.yaml:1:1: invalid YAML: too many YAML aliases/);
  });

  test('a few aliases are fine', async () => {
    const file = write(
      'alias.yaml',
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: aliased\n  labels: &l {app: web}\n  annotations: *l\n`,
    );
    const s = await readManifests([file]);
    expect(s.services[0]?.metadata.annotations).toEqual({ app: 'web' });
  });
});
