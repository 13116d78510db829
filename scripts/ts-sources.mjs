// Lets plain `node` run exposectl's TypeScript sources with its type stripping (benchmarks,
// test fixtures run in network namespaces): the sources import each other as `./x.js`, as
// the build wants, and this maps such an import to `./x.ts` when there is no `.js`.
// Import it first, then import the sources dynamically (static imports are resolved
// before any hook is registered).
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (e) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(`${specifier.slice(0, -3)}.ts`, context);
      throw e;
    }
  },
});
