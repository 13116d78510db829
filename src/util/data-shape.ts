// The shape of an untyped value read from YAML or JSON (manifests, kubeconfigs, printed
// documents): the one test for "a mapping", so that a list or null is never taken for one.

/** True for a mapping (a plain object): not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
