// The real-world set (README.md): problems users reported, rebuilt as snapshots, and healthy
// configurations from the projects' docs, diagnosed by the built CLI as a user runs it.
// found cases must be found, open cases must still be missed (so the table stays honest),
// healthy cases must give no error.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { isKnownCode } from '../../src/analyzers/codes.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import {
  BEGIN,
  CASES_DIR,
  caseErrors,
  END,
  type HealthyCase,
  loadCases,
  type ProblemCase,
  REALWORLD_DIR,
  renderTable,
  type Subject,
} from './table.js';

interface Finding {
  code: string;
  severity: string;
  subject: Subject;
  message: string;
  fix?: string;
}

const cases = loadCases();
const problems = cases.filter((c): c is ProblemCase => c.kind === 'problem');
const healthy = cases.filter((c): c is HealthyCase => c.kind === 'healthy');
const findings = new Map<string, Finding[]>();

const sameSubject = (a: Subject, b: Subject) =>
  a.kind === b.kind && (a.namespace ?? null) === (b.namespace ?? null) && a.name === b.name;
const show = (fs: Finding[]) =>
  fs
    .map((f) => `${f.severity} ${f.code} ${f.subject.kind} ${f.subject.namespace ?? ''}/${f.subject.name}`)
    .join('\n') || '(no findings)';

async function diagnose(id: string): Promise<Finding[]> {
  const r = await runCli(['diagnose', '-f', join(CASES_DIR, id), '-o', 'json', '--fail-on', 'none']);
  if (r.exitCode !== 0) throw new Error(`diagnose -f cases/${id} exited ${r.exitCode}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'dist', 'main.js')))
    throw new Error('the built CLI is missing: run `npm run build` first (bin/run.js loads dist/main.js)');
  // A few at a time: the machine is shared.
  const queue = cases.map((c) => c.id);
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) findings.set(id, await diagnose(id));
    }),
  );
}, 600_000);

describe('the data', () => {
  test('cases.json is consistent and names only catalogued or contract-announced codes', () => {
    expect(caseErrors(cases, isKnownCode)).toEqual([]);
  });

  test('every case has a folder with a snapshot, and every folder a case', () => {
    const folders = readdirSync(CASES_DIR).sort();
    expect(folders).toEqual(cases.map((c) => c.id).sort());
    for (const id of folders)
      expect(
        readdirSync(join(CASES_DIR, id)).some((f) => /\.ya?ml$/.test(f)),
        id,
      ).toBe(true);
  });

  test('the set is as large as point 11 asks: at least 30 problems and 8 healthy configurations', () => {
    expect(problems.length).toBeGreaterThanOrEqual(30);
    expect(healthy.length).toBeGreaterThanOrEqual(8);
  });

  test('README.md shows the table cases.json generates (node test/realworld/render-readme.ts)', () => {
    const readme = readFileSync(join(REALWORLD_DIR, 'README.md'), 'utf8');
    const generated = readme.slice(readme.indexOf(BEGIN) + BEGIN.length + 1, readme.indexOf(END) - 1);
    expect(generated).toBe(renderTable(cases));
  });
});

describe("healthy configurations from the projects' docs give no error", () => {
  test.each(healthy.map((c) => [c.id]))('%s', (id) => {
    const errors = findings.get(id)!.filter((f) => f.severity === 'error');
    expect(errors, show(errors)).toEqual([]);
  });
});

describe('problems users hit: the root cause is found (found) or still missed (open)', () => {
  test.each(problems.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const all = findings.get(c.id)!;
    if (c.status === 'found') {
      const hits = all.filter((f) => f.code === c.expected && sameSubject(f.subject, c.subject));
      expect(
        hits.length > 0,
        `expected ${c.expected} on ${c.subject.kind} ${c.subject.namespace}/${c.subject.name}; got:\n${show(all)}`,
      ).toBe(true);
      if (c.fixIncludes) expect(hits.map((f) => f.fix ?? '').join('\n')).toContain(c.fixIncludes);
    } else {
      const hits = all.filter((f) => f.code === c.expected);
      expect(
        hits,
        `${c.id} is now found (${c.expected}): mark it found in cases.json (and check its subject), then regenerate README.md`,
      ).toEqual([]);
    }
  });

  test('baseline: found/total as the CLI measures it equals the table', () => {
    const measured = problems.filter((c) =>
      findings.get(c.id)!.some((f) => f.code === c.expected && sameSubject(f.subject, c.subject)),
    ).length;
    console.log(
      `real-world set: ${measured}/${problems.length} root causes found, ${healthy.length} healthy configurations`,
    );
    expect(measured).toBe(problems.filter((c) => c.status === 'found').length);
  });
});
