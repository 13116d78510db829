// Facts computed once per snapshot: a fact family is a function of the DiscoveryContext,
// built on first use and kept as long as the context lives (list, diagnose, topology and
// the probes each build one context per snapshot). Pure.
import type { DiscoveryContext } from './context.js';

/** Wraps `build` so that it runs once per DiscoveryContext. */
export function perSnapshot<T>(build: (ctx: DiscoveryContext) => T): (ctx: DiscoveryContext) => T {
  const cache = new WeakMap<DiscoveryContext, T>();
  return (ctx) => {
    if (cache.has(ctx)) return cache.get(ctx) as T;
    const value = build(ctx);
    cache.set(ctx, value);
    return value;
  };
}
