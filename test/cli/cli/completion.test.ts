// Shell completion through oclif's autocomplete plugin: the generated bash function
// really completes exposectl's commands and flags in a bash shell.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

describe('shell completion', () => {
  it('completes commands and flags in bash', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'exposectl-ac-'));
    const env = { XDG_CACHE_HOME: cache };
    const setup = await runCli(['autocomplete', 'bash'], { env });
    expect(setup.exitCode).toBe(0);
    const script = await runCli(['autocomplete', 'script', 'bash'], { env });
    expect(script.exitCode).toBe(0);
    const complete = (line: string) => {
      const words = line.split(' ');
      const program = `${script.stdout}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}
_exposectl_autocomplete; printf '%s\\n' "\${COMPREPLY[@]}"`;
      return execFileSync('bash', ['-c', program], { encoding: 'utf8', env: { ...process.env, ...env } })
        .split('\n')
        .filter(Boolean);
    };
    expect(complete('exposectl li')).toContain('list');
    expect(complete('exposectl list --all')).toContain('--all-namespaces');
  });
});
