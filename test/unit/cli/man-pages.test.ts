// Man pages are generated from the command definitions (npm run man); this fails when
// a command changed and man/ was not regenerated.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';

describe('man pages', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'exposectl-man-'));
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/gen-man.js'), fresh]);
  const committed = join(REPO_ROOT, 'man');

  it('exist for exposectl and every command', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, unknown>;
    };
    const expected = [
      'exposectl.1',
      ...Object.keys(manifest.commands).map((id) => `exposectl-${id.replace(/:/g, '-')}.1`),
    ].sort();
    expect(readdirSync(fresh).sort()).toEqual(expected);
  });

  it('are up to date (run `npm run man` after changing a command)', () => {
    expect(readdirSync(committed).sort()).toEqual(readdirSync(fresh).sort());
    for (const file of readdirSync(fresh)) {
      expect(readFileSync(join(committed, file), 'utf8'), file).toBe(readFileSync(join(fresh, file), 'utf8'));
    }
  });

  it('render with man(1) without warnings, with examples and exit codes', () => {
    const result = spawnSync('man', ['--warnings', '-l', join(fresh, 'exposectl-list.1')], {
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '100' },
    });
    expect(result.error, 'man(1) must be installed (Debian package man-db)').toBeUndefined();
    expect(result.stderr).toBe('');
    const text = result.stdout.replace(/.\x08/g, ''); // drop overstrike bold/underline
    expect(text).toMatch(/SYNOPSIS\n\s+exposectl list \[OPTIONS\]/);
    expect(text).toMatch(/EXAMPLES/);
    expect(text).toMatch(/exposectl list -A -o wide/);
    expect(text).toMatch(/EXIT STATUS/);
  });
});
