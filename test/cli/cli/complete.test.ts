// Completion of values: the candidates for the word being typed, from the manifest's flags
// and arguments and from the cluster (sources given here as plain lists), and through the
// bash function the README gives, against the built CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CompletionSources, completions } from '../../../src/cli/complete.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Parameters<typeof completions>[0];
};
const asked: string[] = [];
const sources: CompletionSources = {
  namespaces: async () => ['default', 'shop', 'monitoring'],
  contexts: async () => ['prod', 'lab'],
  services: async (ns) => {
    asked.push(ns ?? '<context>');
    return ns === 'shop' ? ['web', 'api'] : ['kubernetes'];
  },
};
const complete = (line: string) => completions(manifest.commands, line.split(' '), sources);

describe('completions', () => {
  it('commands and subcommands', async () => {
    expect(await complete('')).toEqual(expect.arrayContaining(['list', 'diagnose', 'probe', 'version']));
    expect(await complete('')).not.toContain('arp');
    expect(await complete('probe ')).toEqual(['arp', 'bgp', 'endpoints', 'reach']);
    expect(await complete('de')).toEqual(['describe']);
  });

  it('values of flags with a fixed set: -o, --mode, --fail-on', async () => {
    expect(await complete('diagnose -o ')).toEqual(['github', 'json', 'sarif', 'text']);
    expect(await complete('list --output j')).toEqual(['json', 'jsonpath=']);
    expect(await complete('rbac --mode ')).toEqual(['bgp', 'gateway', 'hostnetwork', 'ingress', 'l2', 'nodeport']);
    expect(await complete('diagnose --fail-on w')).toEqual(['warning']);
  });

  it("checks, and Services of the namespace given with -n (else the context's)", async () => {
    expect(await complete('diagnose so')).toEqual(['source-ip']);
    expect(await complete('diagnose -n shop ')).toEqual(
      expect.arrayContaining(['all', 'lb', 'source-ip', 'web', 'api']),
    );
    expect(await complete('diagnose source-ip -n shop w')).toEqual(['web']);
    expect(await complete('describe -o json ')).toEqual(['kubernetes']);
    expect(asked.at(-1)).toBe('<context>');
  });

  it('finding codes: codes CODE (and checks), diagnose --ignore (and CHECK/*)', async () => {
    expect(await complete('codes lb/no')).toEqual(['lb/no-advertisement', 'lb/no-eligible-announcer', 'lb/no-pool']);
    expect(await complete('codes arp')).toEqual(['arp', 'arp/holder-mismatch', 'arp/multiple-replies', 'arp/no-reply']);
    expect(await complete('diagnose -f x --ignore source-ip/')).toEqual([
      'source-ip/*',
      'source-ip/etp-cluster',
      'source-ip/proxy-protocol-mismatch',
      'source-ip/proxy-protocol-missing',
    ]);
  });

  it('namespaces, contexts and flag names', async () => {
    expect(await complete('list -n s')).toEqual(['shop']);
    expect(await complete('topology --context ')).toEqual(['lab', 'prod']);
    expect(await complete('rbac --re')).toEqual(['--read-only']);
    expect(await complete('probe bgp --no-c')).toEqual(['--no-color', '--no-compare']);
    expect(await complete('rbac ')).toEqual([]);
  });
});

describe('the bash function of the README', { timeout: 120_000 }, () => {
  it('completes option values in a real bash through the built CLI', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const fn = /```bash\n(_exposectl_values\(\)[\s\S]*?)```/.exec(readme)?.[1];
    expect(fn, 'README.md has the _exposectl_values function').toBeDefined();
    const bin = join(REPO_ROOT, 'bin/run.js');
    const home = mkdtempSync(join(tmpdir(), 'exposectl-complete-'));
    const program = (line: string) => {
      const words = line.split(' ');
      return `exposectl() { "${process.execPath}" "${bin}" "$@"; }
${fn}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_exposectl_values; printf '%s\\n' "\${COMPREPLY[@]}"`;
    };
    const run = (line: string) =>
      execFileSync('bash', ['-c', program(line)], {
        encoding: 'utf8',
        env: { ...process.env, HOME: home, KUBECONFIG: '' },
      })
        .split('\n')
        .filter(Boolean);
    expect(run('exposectl topology -o m')).toEqual(['mermaid']);
    expect(run('exposectl diagnose no')).toEqual(['nodeport']);
    expect(run('exposectl list -n ')).toEqual([]); // no cluster: nothing, and no error
  });
});
