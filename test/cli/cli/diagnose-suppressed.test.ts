// The built CLI: a finding silenced in the manifest (exposectl.dev/ignore) is counted in text,
// listed in JSON (valid against the schema), a suppressed SARIF result, and never fails the
// run; an unknown code in the annotation is a warning; --ignore refuses an unknown code (exit 2).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { schemaErrors } from '../../helpers/schema.js';

const tmp = mkdtempSync(join(tmpdir(), 'exposectl-suppressed-'));
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

// shop/web's out-of-range nodePort (error) is silenced; its Cluster policy (warning) is not.
const SILENCED = file(
  'silenced.yaml',
  `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    exposectl.dev/ignore: "nodeport/out-of-range"
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, nodePort: 8080}]
`,
);
const TYPO = file(
  'typo.yaml',
  `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    exposectl.dev/ignore: "nodeport/out-of-rang"
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, nodePort: 8080}]
`,
);

describe('silencing findings', { timeout: 90_000 }, () => {
  it('text: the silenced error does not fail the run and is counted as suppressed', async () => {
    const r = await runCli(['diagnose', '-f', SILENCED]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('nodeport/out-of-range');
    expect(r.stdout).toContain(
      '1 finding: 1 warning\n1 suppressed by exposectl.dev/ignore annotations (-o json lists them)',
    );
  });

  it('json: the finding is under suppressed with its reason, and the report is valid', async () => {
    const r = await runCli(['diagnose', '-f', SILENCED, '-o', 'json']);
    const report = JSON.parse(r.stdout) as {
      findings: Array<{ code: string }>;
      suppressed: Array<{ code: string; suppression: unknown }>;
    };
    expect(report.findings.map((f) => f.code)).toEqual(['source-ip/etp-cluster']);
    expect(report.suppressed).toEqual([
      expect.objectContaining({
        code: 'nodeport/out-of-range',
        subject: { kind: 'Service', namespace: 'shop', name: 'web' },
        suppression: {
          kind: 'inSource',
          justification: 'annotation exposectl.dev/ignore: "nodeport/out-of-range" on Service shop/web',
        },
      }),
    ]);
    expect(schemaErrors('diagnosis-report.schema.json', report)).toEqual([]);
  });

  it('sarif: a result with an inSource suppression, located in the file', async () => {
    const r = await runCli(['diagnose', '-f', SILENCED, '-o', 'sarif']);
    const results = (
      JSON.parse(r.stdout) as {
        runs: Array<{
          results: Array<{ ruleId: string; suppressions?: Array<{ kind: string }>; locations: unknown[] }>;
        }>;
      }
    ).runs[0]!.results;
    expect(results.map((x) => [x.ruleId, x.suppressions?.map((s) => s.kind)])).toEqual([
      ['source-ip/etp-cluster', undefined],
      ['nodeport/out-of-range', ['inSource']],
    ]);
  });

  it('an unknown code in the annotation is a warning naming the closest code, and silences nothing', async () => {
    const r = await runCli(['diagnose', '-f', TYPO]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(
      'Warning: Service shop/web: annotation exposectl.dev/ignore names unknown code "nodeport/out-of-rang" (did you mean nodeport/out-of-range?); it silences nothing',
    );
    expect(r.stdout).toContain('nodeport/out-of-range');
  });

  it('--ignore with an unknown code exits 2 before reading anything, naming the closest code', async () => {
    const r = await runCli(['diagnose', '-f', join(tmp, 'missing.yaml'), '--ignore', 'nodeport/out-of-rnage']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      'error: --ignore "nodeport/out-of-rnage": unknown code nodeport/out-of-rnage; did you mean nodeport/out-of-range?',
    );
  });
});
