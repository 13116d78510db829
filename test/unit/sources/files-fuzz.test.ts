// The file reader fuzzed in process: random text and bytes, mutations of real manifests,
// wrong types where fields matter. Property: no exception but the usage error (exit 2),
// whose message names the file (and the line and column of malformed YAML); and what
// loads goes through list, topology, describe and diagnose without throwing.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runAnalyzers, sourceIpPath } from '../../../src/analyzers/index.js';
import { buildContext, discoverExposures } from '../../../src/discover/index.js';
import { KINDS } from '../../../src/kube/kinds.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { renderExposureTable } from '../../../src/render/exposure-table.js';
import { renderDescription } from '../../../src/render/topology/describe-text.js';
import { renderTree } from '../../../src/render/topology/tree.js';
import { loadManifests, type ManifestLoad } from '../../../src/sources/files.js';
import { decodeText } from '../../../src/sources/inputs.js';
import { buildTopology } from '../../../src/topology/build.js';
import { describeService } from '../../../src/topology/describe.js';
import { EXIT, UsageError } from '../../../src/util/errors.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const DEMO = path.join(REPO_ROOT, 'examples/demo');
const manifests = readdirSync(DEMO)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(path.join(DEMO, f), 'utf8'));
manifests.push(readFileSync(path.join(REPO_ROOT, 'test/fixtures/web-service.yaml'), 'utf8'));

/** EXPOSECTL_FUZZ_SCALE=20 for a longer local hunt; the suite keeps the default short. */
const SCALE = Number(process.env.EXPOSECTL_FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
const tally = { loaded: 0, refused: 0 };

const isUsageError = (e: unknown): e is UsageError => e instanceof UsageError && e.exitCode === EXIT.usage;

/** Reads text as `-f -` does (stdin), so the whole reader runs: decoding, documents, kinds, Lists. */
async function load(text: string | Buffer): Promise<ManifestLoad | UsageError> {
  try {
    return await loadManifests(['-'], { stdin: Readable.from([typeof text === 'string' ? Buffer.from(text) : text]) });
  } catch (err) {
    expect(isUsageError(err), `not a usage error: ${(err as Error)?.stack}`).toBe(true);
    const message = (err as UsageError).message;
    expect(message).toMatch(/^<stdin>(:\d+(:\d+)?)?: \S/);
    expect(message).not.toMatch(/\n/);
    if (/invalid YAML/.test(message)) expect(message).toMatch(/^<stdin>:\d+(:\d+)?: invalid YAML: /);
    return err as UsageError;
  }
}

/** Every read-only command's pure work on a snapshot: list, topology, describe, diagnose. */
function everyCommand(snapshot: Snapshot): void {
  const exposures = discoverExposures(snapshot);
  renderExposureTable(exposures, { color: false, columns: 80, tty: false }, true);
  const topology = buildTopology(snapshot, { exposures });
  renderTree(topology);
  const ctx = buildContext(snapshot);
  const result = runAnalyzers({ snapshot, ctx, probes: {} }, { now: () => new Date(0) });
  for (const svc of snapshot.services.slice(0, 3)) {
    const ref = { namespace: svc.metadata.namespace ?? 'default', name: String(svc.metadata.name) };
    const one = buildTopology(snapshot, { exposures, service: ref });
    renderDescription(describeService(snapshot, ref, exposures, one, { findings: result.findings }));
    sourceIpPath({ snapshot, ctx, probes: {}, service: ref });
  }
  JSON.stringify({ exposures, topology, findings: result.findings });
}

async function loadsOrRefuses(text: string | Buffer): Promise<void> {
  const r = await load(text);
  if (r instanceof UsageError) {
    tally.refused++;
  } else {
    if (r.objects > 0) tally.loaded++;
    everyCommand(r.snapshot);
  }
}

/** Mutations of a real manifest: what editors, bad merges and copy-paste do to YAML. */
const YAML_SYNTAX = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ': ',
  '&a',
  '*a',
  '!',
  '!!str',
  '|',
  '>',
  '-',
  '- ',
  '#',
  '---\n',
  '...\n',
  '"',
  "'",
  '%YAML 1.2\n',
  '\t',
  '\n',
  ' ',
  '<<: *a\n',
  ',',
  '?',
  '@',
  '`',
  '\u0000',
  '\ufeff',
  '\r\n',
  'null',
  '~',
  '0x1F',
  '1e999',
  '.inf',
];
const mutation = (text: string) =>
  fc.oneof(
    fc.nat(text.length).map((n) => text.slice(0, n)), // truncated
    fc
      .tuple(fc.nat(text.length), fc.constantFrom(...YAML_SYNTAX))
      .map(([i, s]) => text.slice(0, i) + s + text.slice(i)), // inserted syntax
    fc
      .tuple(fc.nat(Math.max(0, text.length - 1)), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }))
      .map(([i, c]) => text.slice(0, i) + c + text.slice(i + 1)), // flipped character
    fc
      .nat(text.length)
      .map((n) => text.slice(0, n).replace(/^( +)/gm, (s) => '\t'.repeat(s.length / 2)) + text.slice(n)), // tabs for indentation
    fc.constant(text.replace(/^(\s*)(name|port|kind|spec|metadata):(.*)$/m, '$1$2:$3\n$1$2: dup')), // duplicate keys
    fc.nat(text.length).map((n) => `${text.slice(n)}\n${text.slice(0, n)}`), // rotated
  );

describe('the file reader on random and mutated input', () => {
  it('random text: loads or a usage error naming <stdin>', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc
            .array(fc.constantFrom(...YAML_SYNTAX, 'a', 'kind', 'items', '1'), { maxLength: 40 })
            .map((a) => a.join('')),
        ),
        loadsOrRefuses,
      ),
      { numRuns: runs(300) },
    );
  });

  it('random bytes (any encoding, BOMs, invalid UTF-8)', async () => {
    const bom = fc.constantFrom(
      Buffer.alloc(0),
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from([0xff, 0xfe]),
      Buffer.from([0xfe, 0xff]),
    );
    await fc.assert(
      fc.asyncProperty(bom, fc.uint8Array({ maxLength: 200 }), async (b, bytes) => {
        const buf = Buffer.concat([b, Buffer.from(bytes)]);
        expect(typeof decodeText(buf)).toBe('string');
        await loadsOrRefuses(buf);
      }),
      { numRuns: runs(200) },
    );
  });

  it.each(manifests.map((m, i) => [i, m] as const))('mutations of real manifest #%i', async (_, text) => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation(text), { minLength: 1, maxLength: 1 }), async ([mutated]) => {
        await loadsOrRefuses(mutated!);
      }),
      { numRuns: runs(60) },
    );
  });

  it('malformed YAML is reported with the line and column', async () => {
    const r = await load('apiVersion: v1\nkind: Service\nmetadata:\n  name: [a, b\n  namespace: x\n');
    expect(r).toBeInstanceOf(UsageError);
    expect((r as UsageError).message).toMatch(/^<stdin>:\d+:\d+: invalid YAML: /);
    expect((r as UsageError).message).toMatch(/^<stdin>:[45]:/); // where the parser notices the unclosed [
  });
});

describe('wrong types where fields matter', () => {
  const junk = fc.oneof(
    fc.constant(null),
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant([]),
    fc.constant({}),
    fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  );
  const kind = fc.constantFrom(...KINDS);
  const object = fc
    .record(
      {
        info: kind,
        apiVersion: fc.option(junk, { nil: undefined }),
        kind: fc.option(fc.oneof(junk, fc.integer()), { nil: undefined }),
        metadata: fc.oneof(
          fc.constant(undefined),
          junk,
          fc.record(
            {
              name: fc.oneof(fc.constantFrom('web', 'api'), junk),
              namespace: fc.oneof(fc.constantFrom('shop', 'default'), junk),
              labels: fc.oneof(junk, fc.constant({ app: 'web' })),
              annotations: junk,
            },
            { requiredKeys: [] },
          ),
        ),
        spec: fc.oneof(
          junk,
          fc.record(
            {
              type: fc.oneof(fc.constantFrom('NodePort', 'LoadBalancer', 'ClusterIP'), junk),
              ports: fc.oneof(
                junk,
                fc.array(
                  fc.record(
                    {
                      port: fc.oneof(fc.constant(80), fc.constant('80'), junk),
                      nodePort: fc.oneof(fc.constant(30080), junk),
                      targetPort: junk,
                      protocol: junk,
                      name: junk,
                    },
                    { requiredKeys: [] },
                  ),
                  { maxLength: 3 },
                ),
              ),
              selector: fc.oneof(junk, fc.constant({ app: 'web' })),
              externalTrafficPolicy: junk,
              rules: junk,
              listeners: junk,
              addresses: junk,
              template: junk,
            },
            { requiredKeys: [] },
          ),
        ),
        status: junk,
        data: junk,
        endpoints: junk,
      },
      { requiredKeys: ['info'] },
    )
    .map(({ info, ...o }) => ({
      apiVersion:
        o.apiVersion === undefined
          ? info.group
            ? `${info.group}/${info.versions[0]}`
            : info.versions[0]
          : o.apiVersion,
      kind: o.kind === undefined ? info.kind : o.kind,
      ...(o.metadata === undefined ? {} : { metadata: o.metadata }),
      ...Object.fromEntries(
        Object.entries(o).filter(([k, v]) => v !== undefined && !['apiVersion', 'kind', 'metadata'].includes(k)),
      ),
    }));

  it('as YAML documents, as JSON, and inside a List: loads or refuses, and every command copes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(object, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('yaml', 'json', 'list'),
        async (objects, form) => {
          const text =
            form === 'yaml'
              ? objects.map((o) => stringify(o)).join('---\n')
              : form === 'json'
                ? objects.map((o) => JSON.stringify(o)).join('\n')
                : JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
          await loadsOrRefuses(text);
        },
      ),
      { numRuns: runs(150) },
    );
  });
});

describe('the fuzzing reaches both outcomes', () => {
  it('some inputs loaded objects and some were refused', () => {
    expect(tally.loaded).toBeGreaterThan(10);
    expect(tally.refused).toBeGreaterThan(10);
  });
});
