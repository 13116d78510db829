// Kubernetes label selectors (matchLabels + matchExpressions) and plain map selectors.
// Pure, and tolerant of malformed selectors (which match nothing beyond what they say).

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A Service-style selector: every key must be present with the same value. An empty map matches everything. */
export function mapSelects(selector: unknown, labels: Record<string, string> | undefined | null): boolean {
  const l = labels ?? {};
  return Object.entries(isRecord(selector) ? selector : {}).every(([k, v]) => l[k] === v);
}

/**
 * A metav1.LabelSelector. `undefined`/`null` selectors are handled by the caller (their
 * meaning differs per API: "everything" for some, "nothing" for others); an empty
 * selector object `{}` matches everything, as in Kubernetes.
 */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string> | undefined | null): boolean {
  if (!isRecord(selector)) return false;
  const l = labels ?? {};
  if (!mapSelects(selector.matchLabels, l)) return false;
  const exprs = selector.matchExpressions;
  for (const r of Array.isArray(exprs) ? exprs : []) {
    if (!isRecord(r) || typeof r.key !== 'string') return false;
    const key = r.key;
    const has = Object.hasOwn(l, key);
    const value = l[key];
    const values = Array.isArray(r.values) ? (r.values as unknown[]) : [];
    switch (r.operator) {
      case 'In':
        if (!has || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // unknown operator: match nothing, as the API server would reject it
    }
  }
  return true;
}

/** True when the selector has no requirement at all (`{}`), i.e. it selects everything. */
export function isEmptySelector(selector: unknown): boolean {
  if (!isRecord(selector)) return false;
  const ml = selector.matchLabels;
  const me = selector.matchExpressions;
  return (!isRecord(ml) || Object.keys(ml).length === 0) && (!Array.isArray(me) || me.length === 0);
}
