// The probe side of the BGP benchmark, run inside the probe's namespace: a collector that
// reports when it holds `count` prefixes. argv[2]: collector options (JSON), argv[3]: count.
// Prints one JSON line per milestone: ready, established, done, final.
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

const { startBgpCollector } = await import(new URL('../../src/probes/bgp/collector.ts', import.meta.url).href);
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const options = JSON.parse(process.argv[2]);
const count = Number(process.argv[3]);
const seen = new Set();
let done = false;
const collector = await startBgpCollector({
  ...options,
  onEvent: (e) => {
    if (e.type === 'state' && e.to === 'Established') out({ type: 'established', at: Date.now() });
    if (e.type === 'update' && !done) {
      const before = seen.size;
      for (const p of e.announced) seen.add(p);
      if (Math.floor(seen.size / 10_000) > Math.floor(before / 10_000)) out({ type: 'progress', at: Date.now(), prefixes: seen.size });
      if (seen.size >= count) {
        done = true;
        out({ type: 'done', at: Date.now(), prefixes: seen.size, maxRssKiB: process.resourceUsage().maxRSS, heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) });
        setImmediate(() => {
          const t = Date.now();
          const snap = collector.snapshot();
          const routes = snap.peers.reduce((n, p) => n + p.routes.length, 0);
          out({ type: 'final', routes, snapshotMs: Date.now() - t, maxRssKiB: process.resourceUsage().maxRSS });
        });
      }
    }
  },
});
out({ type: 'ready', port: collector.port });
process.stdin.on('data', async () => {
  await collector.stop();
  process.exit(0);
});
