// --watch's loop without a cluster: one output for the first read and one per read that
// changed the list, none for reads that changed nothing. (test/integration/list-kubectl-
// conventions.test.ts watches the real API server.)

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type ListFlags, planList } from '../../../src/actions/list.js';
import { watchChanges } from '../../../src/actions/list-watch.js';
import type { CommandOutput } from '../../../src/actions/output.js';
import { readManifests } from '../../../src/sources/files.js';

const flags: ListFlags = {
  output: 'json',
  'all-namespaces': true,
  'no-color': true,
  'request-timeout': '30s',
  watch: true,
};
const read = (yaml: string) => () => readManifests(['-'], { stdin: Readable.from([yaml]) });
const svc = (name: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}\n`;

describe('list --watch', () => {
  it('gives the first list and then one per change', async () => {
    const reads = [
      read(svc('a')),
      read(svc('a')),
      read(`${svc('a')}---\n${svc('b')}`),
      read(`${svc('a')}---\n${svc('b')}`),
      read(svc('b')),
    ];
    let i = 0;
    const outputs: CommandOutput[] = [];
    await watchChanges(
      () => reads[i++]!(),
      flags,
      planList({ ...flags, watch: false }),
      async (o) => {
        outputs.push(o);
      },
      { intervalMs: 0, rounds: reads.length },
    );
    expect(i).toBe(5);
    expect(outputs.map((o) => (o.data as { items: Array<{ name: string }> }).items.map((e) => e.name))).toEqual([
      ['a'],
      ['a', 'b'],
      ['b'],
    ]);
  });

  it('refuses -f: files do not change', () => {
    expect(() => planList({ ...flags, filename: ['x.yaml'] })).toThrow(/--watch needs a cluster/);
  });
});
