// Kubernetes label selectors (matchLabels + matchExpressions) and plain map selectors. Pure.

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

/** A Service-style selector: every key must be present with the same value. An empty map matches everything. */
export function mapSelects(selector: Record<string, string> | undefined | null, labels: Record<string, string> | undefined | null): boolean {
  const l = labels ?? {};
  return Object.entries(selector ?? {}).every(([k, v]) => l[k] === v);
}

/**
 * A metav1.LabelSelector. `undefined`/`null` selectors are handled by the caller (their
 * meaning differs per API: "everything" for some, "nothing" for others); an empty
 * selector object `{}` matches everything, as in Kubernetes.
 */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined | null): boolean {
  const l = labels ?? {};
  if (!mapSelects(selector.matchLabels ?? undefined, l)) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, req.key);
    const value = l[req.key];
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In': if (!has || !values.includes(value as string)) return false; break;
      case 'NotIn': if (has && values.includes(value as string)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false; // unknown operator: match nothing, as the API server would reject it
    }
  }
  return true;
}

/** True when the selector has no requirement at all (`{}`), i.e. it selects everything. */
export function isEmptySelector(selector: LabelSelector | undefined | null): boolean {
  return !!selector && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}
