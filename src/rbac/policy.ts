// RBAC rule shapes and how a set of (group, resource, verbs) grants becomes the fewest,
// stable PolicyRules: one rule per API group and verb set, resources sorted, so the
// output of `exposectl rbac` is the same on every run and diffs cleanly.

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export interface Grant {
  group: string;
  /** Plural resource name, as RBAC writes it (services, ipaddresspools). */
  resource: string;
  verbs: readonly string[];
}

/** The order kubectl's `create role` uses; unknown verbs follow, alphabetically. */
const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

function verbRank(v: string): number {
  const i = VERB_ORDER.indexOf(v);
  return i < 0 ? VERB_ORDER.length : i;
}

export function sortVerbs(verbs: Iterable<string>): string[] {
  return [...new Set(verbs)].sort((a, b) => verbRank(a) - verbRank(b) || a.localeCompare(b));
}

/** Merges grants: the verbs of a resource are the union of its grants; resources with the same group and verbs share a rule. */
export function rulesOf(grants: readonly Grant[]): PolicyRule[] {
  const verbsOf = new Map<string, Set<string>>();
  for (const g of grants) {
    const key = `${g.group}\0${g.resource}`;
    const set = verbsOf.get(key) ?? new Set<string>();
    for (const v of g.verbs) set.add(v);
    verbsOf.set(key, set);
  }
  const rules = new Map<string, PolicyRule>();
  for (const [key, verbs] of verbsOf) {
    const [group, resource] = key.split('\0') as [string, string];
    const sorted = sortVerbs(verbs);
    const ruleKey = `${group}\0${sorted.join(',')}`;
    const rule = rules.get(ruleKey) ?? { apiGroups: [group], resources: [], verbs: sorted };
    rule.resources!.push(resource);
    rules.set(ruleKey, rule);
  }
  return [...rules.values()]
    .map((r) => ({ ...r, resources: [...r.resources!].sort() }))
    .sort(
      (a, b) =>
        a.apiGroups![0]!.localeCompare(b.apiGroups![0]!) ||
        verbRank(a.verbs[0]!) - verbRank(b.verbs[0]!) ||
        a.verbs.length - b.verbs.length,
    );
}
