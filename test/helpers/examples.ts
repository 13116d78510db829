// The examples of README.md and of every command's --help, as a shell would run them, and
// which of them need a live cluster. test/cli/cli/examples.test.ts runs the others;
// test/integration/examples.test.ts runs these against the real control plane.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';

export interface Example {
  source: string;
  command: string;
  expected: string[];
}

/** `exposectl ...` lines of the README's sh and console blocks; after a `$ ` line, the output shown. */
export function readmeExamples(): Example[] {
  const examples: Example[] = [];
  const blocks = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').matchAll(/```(sh|console)\n([\s\S]*?)```/g);
  for (const [, lang, body] of blocks) {
    let current: Example | undefined;
    for (const line of body!.split('\n')) {
      const command =
        lang === 'console' ? /^\$ (exposectl .*)$/.exec(line)?.[1] : /^(exposectl .*?)(\s+#.*)?$/.exec(line)?.[1];
      if (command) {
        current = { source: 'README.md', command, expected: [] };
        examples.push(current);
      } else if (lang === 'console' && current && line !== '' && line !== '...') {
        current.expected.push(line);
      }
    }
  }
  return examples;
}

/** Each command's --help examples, from the manifest, as a shell would run them. */
export function helpExamples(): Example[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, { examples?: Array<string | { command: string }> }>;
  };
  return Object.entries(manifest.commands).flatMap(([id, c]) =>
    (c.examples ?? []).map((e) => ({
      source: `${id.replaceAll(':', ' ')} --help`,
      command: (typeof e === 'string' ? e : e.command)
        .replaceAll('<%= config.bin %>', 'exposectl')
        .replaceAll('<%= command.id %>', id.replaceAll(':', ' ')),
      expected: [],
    })),
  );
}

export function allExamples(): Example[] {
  return [...readmeExamples(), ...helpExamples()];
}

/**
 * Why an example cannot run without a cluster: it reads a live cluster (no -f), changes one,
 * probes a network, or hands its output to kubectl. Commands that read no objects (rbac,
 * codes, version --client) need none. undefined: it runs offline (test/cli/cli/examples.test.ts).
 */
export function needsCluster(command: string): string | undefined {
  if (/\bkubectl\b/.test(command)) return 'hands its output to kubectl';
  if (/^sudo /.test(command)) return 'probes the network as root';
  const words = command.split(/\s+/);
  if (
    words[1] === 'rbac' ||
    words[1] === 'codes' ||
    (words[1] === 'version' && words.includes('--client')) ||
    words[1] === 'lsit'
  )
    return undefined;
  if (/--probe\b/.test(command) || words[1] === 'probe') return 'probes the network';
  if (!/(^|\s)(-f|--filename)(\s|=)/.test(command)) return 'reads a live cluster';
  if (/--dry-run=server/.test(command)) return 'asks the API server';
  return undefined;
}
