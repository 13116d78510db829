// Every code of the catalogue is explained (title, causes, example), and every example does
// what it says: its manifest, read as `exposectl diagnose -f example.yaml` reads it, gives a
// finding of its code; probe codes show the probe command and what the probe observed.
import { describe, expect, test } from 'vitest';
import { EXPLANATIONS, type Explanation } from '../../../src/analyzers/catalogue/explanations.js';
import { CODES } from '../../../src/analyzers/codes.js';
import { runAnalyzers } from '../../../src/analyzers/registry.js';
import { buildContext } from '../../../src/discover/context.js';
import { snapshotFromText } from './catalogue-helpers.js';
import { clock } from './helpers.js';

const explained = EXPLANATIONS as Record<string, Explanation>;

describe('the explanations of the catalogue', () => {
  test('every code has one, and there is none for a code not in the catalogue', () => {
    expect(Object.keys(explained).sort()).toEqual(CODES.map((c) => c.code).sort());
  });

  test.each(CODES.map((c) => [c.code, c] as const))('%s: title, causes and an example', (code, info) => {
    const e = explained[code]!;
    expect(e.title).toMatch(/^[a-z"'A-Z].{10,90}[^.]$/);
    expect(e.causes.length).toBeGreaterThan(0);
    for (const cause of e.causes) expect(cause).toMatch(/^\S.{20,}\.$/);
    // reach/* come from `probe reach` only; other probe codes also from `diagnose --probe`.
    expect(e.example.command).toMatch(
      code.startsWith('reach/') ? /^exposectl probe reach / : /^(sudo )?exposectl diagnose /,
    );
    if (info.probe) {
      if (!code.startsWith('reach/')) expect(e.example.command).toContain('--probe');
      expect(e.example.observation?.length).toBeGreaterThan(10);
    } else {
      expect(e.example.manifest, 'a code found from manifests has an example manifest').toBeDefined();
      expect(e.example.command).toEqual(
        e.example.cluster
          ? expect.stringMatching(/^exposectl diagnose -n [a-z-]+$/)
          : 'exposectl diagnose -f example.yaml',
      );
    }
  });

  test.each(CODES.filter((c) => !c.probe).map((c) => [c.code]))('the example of %s gives that code', async (code) => {
    const { manifest, cluster } = explained[code]!.example;
    const snapshot = await snapshotFromText(manifest!, cluster);
    const { findings } = runAnalyzers({ snapshot, ctx: buildContext(snapshot), probes: {} }, clock);
    expect(findings.map((f) => f.code)).toContain(code);
  });
});
