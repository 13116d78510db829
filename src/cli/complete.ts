// Shell completion of values: `exposectl __complete WORD...` prints the candidates for the
// last WORD (the one being typed) after the others, one per line, as kubectl's __complete
// does. The bash function that calls it is in the README. Flag values with a fixed set
// (-o, --mode, --fail-on), diagnose's checks, finding codes (codes CODE, --ignore), and from the cluster (a short timeout, and
// nothing on any failure) namespaces, contexts and Services. Answered before oclif loads.

import { CODES } from '../analyzers/codes.js';
import { CHECKS } from '../model/checks.js';
import { LIST_FORMATS } from '../render/list-format.js';
import type { ManifestCommand, ManifestFlag } from './fast-path.js';

export interface CompletionSources {
  namespaces(): Promise<string[]>;
  contexts(): Promise<string[]>;
  services(namespace: string | undefined): Promise<string[]>;
}

/** The candidates for the last word of `words` (the words after `exposectl`). */
export async function completions(
  commands: Record<string, ManifestCommand & { hidden?: boolean }>,
  words: string[],
  sources: CompletionSources,
): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const id = [before.slice(0, 2).join(':'), before[0] ?? ''].find(
    (candidate) => candidate !== '' && commands[candidate],
  );
  const match = (values: string[]) => values.filter((v) => v.startsWith(current)).sort();
  if (!id) {
    const names = new Set(
      Object.entries(commands)
        .filter(([, c]) => !c.hidden)
        .map(([i]) => i.split(':').slice(0, before.length + 1))
        .filter((p) => p.slice(0, -1).join(':') === before.join(':'))
        .map((p) => p.at(-1)!),
    );
    return match([...names]);
  }
  const command = commands[id]!;
  const rest = before.slice(id.split(':').length);
  const flags = Object.values(command.flags);
  const flagOf = (word: string): ManifestFlag | undefined =>
    flags.find((f) => word === `--${f.name}` || (f.char !== undefined && word === `-${f.char}`));
  const previous = flagOf(rest.at(-1) ?? '');
  const namespace = namespaceIn(rest, flagOf);
  if (previous && previous.type === 'option') {
    if (previous.options) return match(previous.options);
    // list's -o also takes kubectl's templated forms, so oclif holds no fixed options for it.
    if (id === 'list' && previous.name === 'output') return match([...LIST_FORMATS, 'jsonpath=', 'custom-columns=']);
    if (previous.name === 'namespace') return match(await sources.namespaces());
    if (previous.name === 'context') return match(await sources.contexts());
    if (previous.name === 'ignore') return match([...CODES.map((c) => c.code), ...CHECKS.map((c) => `${c}/*`)]);
    return [];
  }
  if (current.startsWith('-'))
    return match(
      flags.flatMap((f) => [
        `--${f.name}`,
        ...(f.type === 'boolean' && (f as { allowNo?: boolean }).allowNo ? [`--no-${f.name}`] : []),
      ]),
    );
  // Positional arguments: count the words that are not flags or flag values.
  let position = 0;
  for (let i = 0; i < rest.length; i++) {
    const flag = flagOf(rest[i]!);
    if (flag) {
      if (flag.type === 'option') i++;
      continue;
    }
    if (!rest[i]!.startsWith('-')) position++;
  }
  const arg = Object.keys(command.args ?? {})[position];
  if (arg === 'check') return match([...CHECKS, 'all', ...(await sources.services(namespace))]);
  if (arg === 'service') return match(await sources.services(namespace));
  if (arg === 'code') return match([...CODES.map((c) => c.code), ...CHECKS]);
  return [];
}

function namespaceIn(words: string[], flagOf: (w: string) => ManifestFlag | undefined): string | undefined {
  for (let i = 0; i < words.length - 1; i++) if (flagOf(words[i]!)?.name === 'namespace') return words[i + 1];
  return undefined;
}

/** The cluster behind the current kubeconfig, asked with a 3 s timeout; any failure gives nothing. */
export function clusterSources(): CompletionSources {
  const request = async <T>(path: string): Promise<T | undefined> => {
    try {
      const { connect } = await import('../kube/client.js');
      const client = await connect({ requestTimeoutMs: 3000 });
      try {
        return await client.request<T>(path);
      } finally {
        await client.close();
      }
    } catch {
      return undefined;
    }
  };
  const names = (list: { items?: Array<{ metadata?: { name?: string } }> } | undefined) =>
    (list?.items ?? []).map((i) => i.metadata?.name).filter((n): n is string => typeof n === 'string');
  return {
    namespaces: async () => names(await request('/api/v1/namespaces')),
    contexts: async () => {
      try {
        const { kubeconfigFiles, mergeKubeconfigs } = await import('../kube/kubeconfig.js');
        return mergeKubeconfigs(kubeconfigFiles(undefined)).contexts.map((c) => c.name);
      } catch {
        return [];
      }
    },
    services: async (namespace) => {
      let ns = namespace;
      if (ns === undefined) {
        const { contextNamespace } = await import('../kube/kubeconfig.js');
        try {
          ns = contextNamespace();
        } catch {
          return [];
        }
      }
      return names(await request(`/api/v1/namespaces/${encodeURIComponent(ns)}/services`));
    },
  };
}
