// A finding's fix suggests commands built from names in files or the cluster. Each word is
// shell-quoted: pasting the command into a shell runs exactly that command, with those
// arguments, and nothing else.
import { execa } from 'execa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote } from '../../../src/util/shell-quote.js';
import { diagnose, live, pod, service, snap } from './helpers.js';

/** The words a POSIX shell makes of `command` (it is run only as `set -- command`). */
async function shellWords(command: string): Promise<string[]> {
  const r = await execa('sh', ['-c', `set -- ${command}; printf '%s\\0' "$@"`]);
  return r.stdout.split('\0').slice(0, -1);
}

const HOSTILE = [
  'web;touch /tmp/pwned',
  'a b',
  "it's",
  '$(id)',
  '`id`',
  'x\ny',
  '*',
  '-n',
  '"q"',
  'a|b&c>d',
  '~root',
  '!x',
  '',
];

describe('shellQuote', () => {
  it('leaves plain words as they are', () => {
    expect(shellCommand(['kubectl', 'get', 'svc', 'web-1', '-n', 'shop', '--show-labels', 'app=web,tier=fe'])).toBe(
      'kubectl get svc web-1 -n shop --show-labels app=web,tier=fe',
    );
  });

  it('quotes every other word so that the shell gives it back unchanged', async () => {
    for (const word of HOSTILE) expect(await shellWords(`x ${shellQuote(word)}`)).toEqual(['x', word]);
  });

  it('any string without NUL round-trips through the shell', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')),
          { minLength: 1, maxLength: 4 },
        ),
        async (words) => {
          expect(await shellWords(shellCommand(words))).toEqual(words);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('fix commands of findings', () => {
  it('kubectl patch for a Service whose name and namespace hold shell syntax: exactly its arguments', async () => {
    const name = 'web;touch /tmp/pwned $(id)';
    const ns = "shop'x";
    const findings = diagnose(
      snap([
        service(name, { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] }, { namespace: ns }),
      ]),
    );
    const fix = findings.find((f) => f.code === 'source-ip/etp-cluster')?.fix ?? '';
    const command = /\((kubectl patch .*)\); trade-off/.exec(fix)?.[1];
    expect(command, fix).toBeDefined();
    expect(await shellWords(command!)).toEqual([
      'kubectl',
      'patch',
      'svc',
      name,
      '-n',
      ns,
      '-p',
      '{"spec":{"externalTrafficPolicy":"Local"}}',
    ]);
  });

  it('kubectl get pods -n with a namespace that holds spaces and $(...): one -n argument', async () => {
    const ns = 'shop $(touch /tmp/pwned)';
    const findings = diagnose(
      live([
        service(
          'web',
          { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] },
          { namespace: ns },
        ),
        pod('other', { app: 'other' }, true, 'n1', { namespace: ns }),
      ]),
    );
    const fix = findings.find((f) => f.code === 'endpoints/selector-matches-nothing')?.fix ?? '';
    const command = /\((kubectl get pods .*)\), or add/.exec(fix)?.[1];
    expect(command, fix).toBeDefined();
    expect(await shellWords(command!)).toEqual(['kubectl', 'get', 'pods', '-n', ns, '--show-labels']);
  });
});
