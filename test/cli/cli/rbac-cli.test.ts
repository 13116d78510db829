// `exposectl rbac` as a user runs it: YAML documents for kubectl apply, JSON as a List,
// usage errors exit 2 with one line.

import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../helpers/cli.js';

describe('exposectl rbac', () => {
  it('prints one YAML document per object, the ClusterRole first', async () => {
    const r = await runCli(['rbac', '--mode', 'hostnetwork', '--bind', 'group:sre']);
    expect(r.exitCode, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'ClusterRole/exposectl-hostnetwork',
      'ClusterRoleBinding/exposectl-hostnetwork-group-sre',
    ]);
    expect(r.stdout).toMatch(/- daemonsets\n/);
  });

  it('-o json is a v1 List', async () => {
    const r = await runCli(['rbac', '--read-only', '-o', 'json', '--name', 'viewer']);
    expect(r.exitCode, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { kind: string; items: Array<{ kind: string; metadata: { name: string } }> };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => `${i.kind}/${i.metadata.name}`)).toEqual(['ClusterRole/viewer']);
  });

  it('refuses an unknown mode, a missing purpose, -n with --read-only and a bad --bind (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['rbac', '--mode', 'magic'], /Expected --mode=magic to be one of/],
      [['rbac'], /say what the role is for: --read-only, or --mode/],
      [['rbac', '--read-only', '-n', 'shop'], /narrows the write permissions of a --mode/],
      [['rbac', '--mode', 'l2', '--bind', 'robot:x'], /--bind robot:x: expected user:NAME/],
      [['rbac', '--mode', 'l2', '--read-only'], /cannot also be provided when using/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = results[i]!;
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
  }, 60_000);

  it('--help explains the scope and has examples', async () => {
    const r = await runCli(['rbac', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/EXAMPLES/);
    expect(r.stdout).toMatch(/--with-secrets/);
    expect(r.stdout).toMatch(/NAME-read/);
  });
});
